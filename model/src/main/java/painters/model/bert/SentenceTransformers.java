package painters.model.bert;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import painters.model.ModelFormatException;
import painters.model.family.Pooling;

/**
 * A checkpoint's sentence-transformers conventions, read from its folder: {@code modules.json} (the
 * module chain: Transformer, Pooling, Normalize), the Pooling module's {@code config.json} (CLS or mean),
 * and {@code config_sentence_transformers.json} (named prompts such as e5's {@code "query": "query: "} and
 * the default prompt). A folder without {@code modules.json} keeps the defaults (CLS pooling from
 * {@code 1_Pooling} if present, L2-normalised, no prompt). A module this encoder cannot apply (Dense,
 * max pooling...) is an error naming the file and the module.
 *
 * @param pooling       how token states become a sentence vector
 * @param normalize     whether a Normalize module follows
 * @param prompts       named prompts (name to text)
 * @param defaultPrompt the prompt applied unless the user chooses another ("" for none)
 * @param biEncoder     whether the checkpoint is a sentence-transformers model ({@code modules.json} or a
 *                      {@code 1_Pooling} folder): trained to embed texts one at a time, so a pair task by default
 *                      encodes each text alone
 */
public record SentenceTransformers(Pooling pooling, boolean normalize, Map<String, String> prompts,
                                  String defaultPrompt, boolean biEncoder) {

    public SentenceTransformers {
        prompts = Map.copyOf(prompts);
    }

    /** The conventions of the checkpoint in {@code dir}. */
    public static SentenceTransformers read(Path dir) {
        Path modules = dir.resolve("modules.json");
        Map<String, String> prompts = new LinkedHashMap<>();
        String dflt = "";
        Path stConfig = dir.resolve("config_sentence_transformers.json");
        if (Files.isRegularFile(stConfig)) {
            JsonObject o = object(stConfig);
            if (o.has("prompts") && o.get("prompts").isJsonObject()) {
                for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("prompts").entrySet()) {
                    prompts.put(e.getKey(), e.getValue().getAsString());
                }
            }
            if (o.has("default_prompt_name") && !o.get("default_prompt_name").isJsonNull()) {
                String name = o.get("default_prompt_name").getAsString();
                if (!prompts.containsKey(name)) {
                    throw new ModelFormatException(stConfig + ": default_prompt_name \"" + name + "\" is not one of "
                            + "its prompts " + prompts.keySet());
                }
                dflt = prompts.get(name);
            }
        }
        if (!Files.isRegularFile(modules)) {
            return new SentenceTransformers(pooling(dir.resolve("1_Pooling").resolve("config.json")), true, prompts, dflt,
                    Files.isDirectory(dir.resolve("1_Pooling")));
        }
        JsonElement root = parse(modules);
        if (!root.isJsonArray()) {
            throw new ModelFormatException(modules + ": not a JSON list of modules");
        }
        Pooling pooling = Pooling.CLS;
        boolean normalize = false;
        for (JsonElement m : (JsonArray) root) {
            JsonObject mod = m.getAsJsonObject();
            String type = mod.has("type") ? mod.get("type").getAsString() : "";
            String path = mod.has("path") ? mod.get("path").getAsString() : "";
            String kind = type.substring(type.lastIndexOf('.') + 1);
            switch (kind) {
                case "Transformer" -> { }
                case "Pooling" -> pooling = pooling(dir.resolve(path).resolve("config.json"));
                case "Normalize" -> normalize = true;
                default -> throw new ModelFormatException(modules + ": module \"" + type + "\" (" + path + ") is not "
                        + "supported (supported: Transformer, Pooling, Normalize)");
            }
        }
        return new SentenceTransformers(pooling, normalize, prompts, dflt, true);
    }

    /**
     * The prompt text {@code nameOrText} stands for: one of the named prompts, "none" for no prompt, or
     * else the text itself.
     */
    public String resolvePrompt(String nameOrText) {
        if (nameOrText == null) {
            return defaultPrompt;
        }
        if (nameOrText.equals("none")) {
            return "";
        }
        return prompts.getOrDefault(nameOrText, nameOrText);
    }

    static Pooling pooling(Path config) {
        if (!Files.isRegularFile(config)) {
            return Pooling.CLS;
        }
        JsonObject o = object(config);
        boolean cls = flag(o, "pooling_mode_cls_token");
        boolean mean = flag(o, "pooling_mode_mean_tokens");
        for (String other : new String[] {"pooling_mode_max_tokens", "pooling_mode_mean_sqrt_len_tokens",
                "pooling_mode_weightedmean_tokens", "pooling_mode_lasttoken"}) {
            if (flag(o, other)) {
                throw new ModelFormatException(config + ": \"" + other + "\" is not supported (CLS or mean pooling)");
            }
        }
        if (cls && mean) {
            throw new ModelFormatException(config + ": both CLS and mean pooling are set; choose one");
        }
        return mean ? Pooling.MEAN : Pooling.CLS;
    }

    private static boolean flag(JsonObject o, String key) {
        return o.has(key) && !o.get(key).isJsonNull() && o.get(key).getAsBoolean();
    }

    private static JsonObject object(Path file) {
        JsonElement e = parse(file);
        if (!e.isJsonObject()) {
            throw new ModelFormatException(file + ": not a JSON object");
        }
        return e.getAsJsonObject();
    }

    private static JsonElement parse(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return JsonParser.parseReader(r);
        } catch (IOException | RuntimeException e) {
            throw new ModelFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
