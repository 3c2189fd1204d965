package painters.regimes;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import painters.model.UserInputException;
import painters.model.family.Residual;

/**
 * A regimes study file: a frozen grid study (every key of a study file but {@code model}) and a {@code pretrain}
 * object naming what each model is trained from and how: {@code config} (the family's config.json), {@code text} (a
 * text file or a language-model task's train split), {@code regimes} ({@code standard}, {@code none},
 * {@code scaled(A)}, {@code layerdrop(P)}), {@code seeds} (initialisation seeds, the same for every regime), and the
 * training budget ({@code steps}, {@code learningRate}, {@code warmupSteps}, {@code batchSize}, {@code maxLength},
 * {@code weightDecay}, {@code evalEvery}, {@code checkpointEvery}, {@code heldOut}).
 */
public record RegimesSpec(String name, Path config, String text, List<String> regimes, List<Long> seeds, int steps,
                          double learningRate, int warmupSteps, int batchSize, int maxLength, double weightDecay,
                          int evalEvery, int checkpointEvery, double heldOut, JsonObject grid) {

    static final Map<String, JsonElement> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("config", null);
        DEFAULTS.put("text", null);
        DEFAULTS.put("regimes", null);
        DEFAULTS.put("seeds", null);
        DEFAULTS.put("steps", new JsonPrimitive(1000));
        DEFAULTS.put("learningRate", new JsonPrimitive(1e-3));
        DEFAULTS.put("warmupSteps", new JsonPrimitive(-1));
        DEFAULTS.put("batchSize", new JsonPrimitive(16));
        DEFAULTS.put("maxLength", new JsonPrimitive(128));
        DEFAULTS.put("weightDecay", new JsonPrimitive(0.1));
        DEFAULTS.put("evalEvery", new JsonPrimitive(250));
        DEFAULTS.put("checkpointEvery", new JsonPrimitive(250));
        DEFAULTS.put("heldOut", new JsonPrimitive(0.05));
    }

    /** Whether a study file is a regimes study (it has a {@code pretrain} object). */
    public static boolean is(JsonObject file) {
        return file.has("pretrain");
    }

    /**
     * The spec of {@code file} with {@code --pretrain.KEY=value} overrides applied; the other overrides stay for the
     * grid studies ({@code rest}).
     */
    public static RegimesSpec of(JsonObject file, List<String> overrides, List<String> rest, String source) {
        if (!file.get("pretrain").isJsonObject()) {
            throw new UserInputException(source + ": \"pretrain\" must be an object");
        }
        if (file.has("model")) {
            throw new UserInputException(source + ": a regimes study trains its models; remove \"model\"");
        }
        JsonObject p = file.getAsJsonObject("pretrain").deepCopy();
        for (String key : p.keySet()) {
            if (!DEFAULTS.containsKey(key)) {
                throw new UserInputException(source + ": unknown key \"pretrain." + key + "\" (known: " + DEFAULTS.keySet()
                        + ")");
            }
        }
        for (String ov : overrides) {
            String kv = ov.startsWith("--") ? ov.substring(2) : ov;
            if (kv.startsWith("pretrain.") && kv.contains("=")) {
                String key = kv.substring("pretrain.".length(), kv.indexOf('='));
                if (!DEFAULTS.containsKey(key)) {
                    throw new UserInputException("unknown pretrain key \"" + key + "\" in override " + ov);
                }
                p.addProperty(key, kv.substring(kv.indexOf('=') + 1));
            } else {
                rest.add(ov);
            }
        }
        for (String key : List.of("config", "text", "regimes", "seeds")) {
            if (!p.has(key)) {
                throw new UserInputException(source + ": pretrain needs \"" + key + "\"");
            }
        }
        DEFAULTS.forEach((k, v) -> {
            if (!p.has(k) && v != null) {
                p.add(k, v);
            }
        });
        List<String> regimes = strings(p.get("regimes"));
        regimes.forEach(RegimesSpec::check);
        List<Long> seeds = new ArrayList<>();
        for (String s : strings(p.get("seeds"))) {
            seeds.add(Long.parseLong(s));
        }
        JsonObject grid = file.deepCopy();
        grid.remove("pretrain");
        String name = file.has("name") ? file.get("name").getAsString() : "regimes";
        try {
            return new RegimesSpec(name, Path.of(p.get("config").getAsString()), p.get("text").getAsString(), regimes,
                    seeds, p.get("steps").getAsInt(), p.get("learningRate").getAsDouble(), p.get("warmupSteps").getAsInt(),
                    p.get("batchSize").getAsInt(), p.get("maxLength").getAsInt(), p.get("weightDecay").getAsDouble(),
                    p.get("evalEvery").getAsInt(), p.get("checkpointEvery").getAsInt(), p.get("heldOut").getAsDouble(),
                    grid);
        } catch (NumberFormatException e) {
            throw new UserInputException(source + ": pretrain: " + e.getMessage(), e);
        }
    }

    /** A list given as a JSON array or one comma-separated string (an override). */
    private static List<String> strings(JsonElement e) {
        List<String> out = new ArrayList<>();
        if (e.isJsonArray()) {
            e.getAsJsonArray().forEach(x -> out.add(x.getAsString()));
        } else {
            for (String s : e.getAsString().split(",")) {
                out.add(s.strip());
            }
        }
        return out;
    }

    /** The residual regime a regime name trains with (standard for LayerDrop). */
    public static String residual(String regime) {
        return regime.toLowerCase(Locale.ROOT).startsWith("layerdrop(") ? "standard" : regime;
    }

    /** The LayerDrop rate a regime name trains with (0 but for {@code layerdrop(P)}). */
    public static double layerDrop(String regime) {
        String r = regime.strip().toLowerCase(Locale.ROOT);
        if (!r.startsWith("layerdrop(")) {
            return 0;
        }
        if (!r.endsWith(")")) {
            throw new UserInputException("regime \"" + regime + "\" is not layerdrop(P)");
        }
        try {
            return Double.parseDouble(r.substring("layerdrop(".length(), r.length() - 1));
        } catch (NumberFormatException e) {
            throw new UserInputException("regime \"" + regime + "\" is not layerdrop(P) with a number P", e);
        }
    }

    private static void check(String regime) {
        if (layerDrop(regime) == 0 && !regime.strip().toLowerCase(Locale.ROOT).startsWith("layerdrop(")) {
            Residual.scale(regime);
        } else if (!(layerDrop(regime) > 0 && layerDrop(regime) < 1)) {
            throw new UserInputException("regime \"" + regime + "\": LayerDrop's rate must be in (0, 1)");
        }
    }

    /** A folder-safe name of a regime and seed: {@code layerdrop-0.2-s0}. */
    public static String slug(String regime, long seed) {
        return regime.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]+", "-").replaceAll("-+$", "") + "-s" + seed;
    }
}
