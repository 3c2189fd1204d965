package painters.model.hf;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import painters.model.ModelFormatException;

/**
 * A Hugging Face {@code config.json} as typed values: each getter names the file and the key in its
 * error. Knows no model family; each family maps the keys it reads in its own package
 * ({@code bert.BertHfConfig}, {@code llama.LlamaHfConfig}).
 */
public final class HfJson {

    private final JsonObject o;
    private final String source;

    private HfJson(JsonObject o, String source) {
        this.o = o;
        this.source = source;
    }

    public static HfJson read(Path configJson) {
        try (Reader r = Files.newBufferedReader(configJson, StandardCharsets.UTF_8)) {
            return read(r, configJson.toString());
        } catch (IOException e) {
            throw new ModelFormatException("cannot read config " + configJson + ": " + e.getMessage(), e);
        }
    }

    /** Parses a config from a reader; {@code source} names it in error messages. */
    public static HfJson read(Reader r, String source) {
        try {
            JsonElement e = JsonParser.parseReader(r);
            if (!e.isJsonObject()) {
                throw new ModelFormatException(source + ": config is not a JSON object");
            }
            return new HfJson(e.getAsJsonObject(), source);
        } catch (JsonParseException e) {
            throw new ModelFormatException(source + ": invalid JSON: " + e.getMessage(), e);
        }
    }

    /** The object under {@code key} (e.g. rope_scaling) read the same way, or null when absent. */
    public HfJson object(String key) {
        JsonElement e = get(key, false);
        if (e == null) {
            return null;
        }
        if (!e.isJsonObject()) {
            throw new ModelFormatException(source + ": \"" + key + "\" must be an object or null, got " + e);
        }
        return new HfJson(e.getAsJsonObject(), source + " (" + key + ")");
    }

    /**
     * The config a {@code --model} argument names without weights: the argument itself when it is a
     * {@code .json} file, {@code config.json} inside it when it is a directory; null otherwise.
     */
    public static Path configOf(String model) {
        if (model == null) {
            return null;
        }
        Path p = Path.of(model);
        if (Files.isRegularFile(p) && p.getFileName().toString().endsWith(".json")) {
            return p;
        }
        Path c = p.resolve("config.json");
        return Files.isDirectory(p) && Files.isRegularFile(c) ? c : null;
    }

    /**
     * The dtype the checkpoint's weights are stored in ({@code torch_dtype}: float32, bfloat16, float16),
     * "float32" when the config does not say.
     */
    public String torchDtype() {
        String t = has("torch_dtype") ? str("torch_dtype", "float32") : "float32";
        return t.startsWith("torch.") ? t.substring("torch.".length()) : t;
    }

    /** The {@code model_type} of a config file, or null when it has none. */
    public static String modelType(Path configJson) {
        HfJson c = read(configJson);
        return c.has("model_type") ? c.str("model_type", null) : null;
    }

    public String source() {
        return source;
    }

    public boolean has(String key) {
        return o.has(key) && !o.get(key).isJsonNull();
    }

    /** A raw value, or null when absent. */
    public JsonElement element(String key) {
        return get(key, false);
    }

    /** An error naming this config. */
    public ModelFormatException error(String message, Throwable cause) {
        return new ModelFormatException(source + ": " + message, cause);
    }

    /** An integer; {@code dflt} null means required. */
    public int integer(String key, Integer dflt) {
        JsonElement e = get(key, dflt == null);
        if (e == null) {
            return dflt;
        }
        try {
            double d = e.getAsDouble();
            if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
                throw new ModelFormatException(source + ": key \"" + key + "\" must be an integer, got " + e);
            }
            return (int) d;
        } catch (NumberFormatException | UnsupportedOperationException | IllegalStateException ex) {
            throw new ModelFormatException(source + ": key \"" + key + "\" must be a number, got " + e, ex);
        }
    }

    /** The first of an integer or a list of integers (HF's eos_token_id may be either), or -1. */
    public int firstInteger(String key) {
        JsonElement e = get(key, false);
        if (e == null) {
            return -1;
        }
        if (e.isJsonArray()) {
            return e.getAsJsonArray().isEmpty() ? -1 : e.getAsJsonArray().get(0).getAsInt();
        }
        return integer(key, -1);
    }

    public double number(String key, double dflt) {
        JsonElement e = get(key, false);
        if (e == null) {
            return dflt;
        }
        try {
            return e.getAsDouble();
        } catch (NumberFormatException | UnsupportedOperationException | IllegalStateException ex) {
            throw new ModelFormatException(source + ": key \"" + key + "\" must be a number, got " + e, ex);
        }
    }

    /** A required non-empty list of numbers. */
    public double[] numbers(String key) {
        JsonElement e = get(key, true);
        if (!e.isJsonArray() || e.getAsJsonArray().isEmpty()) {
            throw new ModelFormatException(source + ": key \"" + key + "\" must be a non-empty list of numbers, got " + e);
        }
        double[] out = new double[e.getAsJsonArray().size()];
        for (int i = 0; i < out.length; i++) {
            JsonElement x = e.getAsJsonArray().get(i);
            if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isNumber()) {
                throw new ModelFormatException(source + ": key \"" + key + "\" entry " + i + " must be a number, got " + x);
            }
            out[i] = x.getAsDouble();
        }
        return out;
    }

    /** A string; {@code dflt} null means required. */
    public String str(String key, String dflt) {
        JsonElement e = get(key, dflt == null);
        if (e == null) {
            return dflt;
        }
        if (!e.isJsonPrimitive()) {
            throw new ModelFormatException(source + ": key \"" + key + "\" must be a string, got " + e);
        }
        return e.getAsString();
    }

    public boolean bool(String key, boolean dflt) {
        JsonElement e = get(key, false);
        if (e == null) {
            return dflt;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw new ModelFormatException(source + ": key \"" + key + "\" must be true or false, got " + e);
        }
        return e.getAsBoolean();
    }

    private JsonElement get(String key, boolean required) {
        JsonElement e = o.get(key);
        if ((e == null || e.isJsonNull()) && required) {
            throw new ModelFormatException(source + ": missing required key \"" + key + "\"");
        }
        return e == null || e.isJsonNull() ? null : e;
    }
}
