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
import painters.model.bert.BertConfig;
import painters.model.llama.LlamaConfig;
import painters.model.llama.Rope;

/**
 * Maps a Hugging Face {@code config.json} onto the project's config records. This is the only class
 * that knows HF key names; records validate the values in their constructors.
 */
public final class HfConfigKeys {

    private HfConfigKeys() {}

    /** Reads a BERT-family {@code config.json} (model_type bert, or an encoder using its keys). */
    public static BertConfig readBert(Path configJson) {
        try (Reader r = Files.newBufferedReader(configJson, StandardCharsets.UTF_8)) {
            return bert(parse(r, configJson.toString()), configJson.toString());
        } catch (IOException e) {
            throw new ModelFormatException("cannot read config " + configJson + ": " + e.getMessage(), e);
        }
    }

    /** Parses a BERT-family config from a reader; {@code source} names it in error messages. */
    public static BertConfig readBert(Reader reader, String source) {
        return bert(parse(reader, source), source);
    }

    /** The HF {@code config.json} text of a BERT-family config (inverse of {@link #readBert}). */
    public static String toJson(BertConfig c) {
        JsonObject o = new JsonObject();
        com.google.gson.JsonArray arch = new com.google.gson.JsonArray();
        arch.add("BertModel");
        o.add("architectures", arch);
        o.addProperty("model_type", c.modelType());
        o.addProperty("vocab_size", c.vocabSize());
        o.addProperty("hidden_size", c.hiddenSize());
        o.addProperty("num_hidden_layers", c.numLayers());
        o.addProperty("num_attention_heads", c.numHeads());
        o.addProperty("intermediate_size", c.intermediateSize());
        o.addProperty("max_position_embeddings", c.maxPositions());
        o.addProperty("type_vocab_size", c.typeVocabSize());
        o.addProperty("layer_norm_eps", c.layerNormEps());
        o.addProperty("hidden_act", c.hiddenAct());
        o.addProperty("position_embedding_type", c.positionEmbeddingType());
        o.addProperty("pad_token_id", c.padTokenId());
        o.addProperty("torch_dtype", "float32");
        return new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(o) + "\n";
    }

    /** Model types whose checkpoints {@link #readLlama} maps (same tensor names and block). */
    public static final java.util.Set<String> LLAMA_TYPES = java.util.Set.of("llama", "mistral");

    /** Reads a Llama-family {@code config.json} (model_type llama or mistral). */
    public static LlamaConfig readLlama(Path configJson) {
        try (Reader r = Files.newBufferedReader(configJson, StandardCharsets.UTF_8)) {
            return llama(parse(r, configJson.toString()), configJson.toString());
        } catch (IOException e) {
            throw new ModelFormatException("cannot read config " + configJson + ": " + e.getMessage(), e);
        }
    }

    /** Parses a Llama-family config from a reader; {@code source} names it in error messages. */
    public static LlamaConfig readLlama(Reader reader, String source) {
        return llama(parse(reader, source), source);
    }

    /** The {@code model_type} of a config file, or null when it has none. */
    public static String modelType(Path configJson) {
        try (Reader r = Files.newBufferedReader(configJson, StandardCharsets.UTF_8)) {
            JsonObject o = parse(r, configJson.toString());
            return o.has("model_type") && !o.get("model_type").isJsonNull() ? o.get("model_type").getAsString() : null;
        } catch (IOException e) {
            throw new ModelFormatException("cannot read config " + configJson + ": " + e.getMessage(), e);
        }
    }

    static LlamaConfig llama(JsonObject o, String source) {
        String modelType = str(o, "model_type", null, source);
        if (!LLAMA_TYPES.contains(modelType)) {
            throw new ModelFormatException(source + ": model_type \"" + modelType + "\" is not a Llama-family decoder "
                    + "(supported: " + new java.util.TreeSet<>(LLAMA_TYPES) + ")");
        }
        for (String flag : new String[] {"attention_bias", "mlp_bias"}) {
            JsonElement e = get(o, flag, false, source);
            if (e != null && e.getAsBoolean()) {
                throw new ModelFormatException(source + ": \"" + flag + "\": true is not supported (Llama blocks have no biases)");
            }
        }
        try {
            int hidden = integer(o, "hidden_size", null, source);
            int heads = integer(o, "num_attention_heads", null, source);
            return new LlamaConfig(
                    modelType,
                    integer(o, "vocab_size", null, source),
                    hidden,
                    integer(o, "intermediate_size", null, source),
                    integer(o, "num_hidden_layers", null, source),
                    heads,
                    integer(o, "num_key_value_heads", heads, source),
                    integer(o, "head_dim", heads > 0 ? hidden / heads : 0, source),
                    integer(o, "max_position_embeddings", 2048, source),
                    number(o, "rms_norm_eps", 1e-6, source),
                    rope(o, source),
                    bool(o, "tie_word_embeddings", false, source),
                    str(o, "hidden_act", "silu", source),
                    integer(o, "sliding_window", 0, source),
                    firstId(o, "bos_token_id", source),
                    firstId(o, "eos_token_id", source));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(source + ": " + e.getMessage(), e);
        }
    }

    private static Rope rope(JsonObject o, String source) {
        double theta = number(o, "rope_theta", 10000.0, source);
        JsonElement e = get(o, "rope_scaling", false, source);
        if (e == null) {
            return Rope.plain(theta);
        }
        if (!e.isJsonObject()) {
            throw new ModelFormatException(source + ": \"rope_scaling\" must be an object or null, got " + e);
        }
        JsonObject s = e.getAsJsonObject();
        String type = s.has("rope_type") ? str(s, "rope_type", null, source) : str(s, "type", "none", source);
        if (type.equals("default")) {
            return Rope.plain(theta);
        }
        return new Rope(theta, type, number(s, "factor", 1.0, source), number(s, "low_freq_factor", 0, source),
                number(s, "high_freq_factor", 0, source), integer(s, "original_max_position_embeddings", 0, source));
    }

    private static int firstId(JsonObject o, String key, String source) {
        JsonElement e = get(o, key, false, source);
        if (e == null) {
            return -1;
        }
        if (e.isJsonArray()) {
            return e.getAsJsonArray().isEmpty() ? -1 : e.getAsJsonArray().get(0).getAsInt();
        }
        return integer(o, key, -1, source);
    }

    private static boolean bool(JsonObject o, String key, boolean dflt, String source) {
        JsonElement e = get(o, key, false, source);
        if (e == null) {
            return dflt;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw new ModelFormatException(source + ": key \"" + key + "\" must be true or false, got " + e);
        }
        return e.getAsBoolean();
    }

    static JsonObject parse(Reader r, String source) {
        try {
            JsonElement e = JsonParser.parseReader(r);
            if (!e.isJsonObject()) {
                throw new ModelFormatException(source + ": config is not a JSON object");
            }
            return e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new ModelFormatException(source + ": invalid JSON: " + e.getMessage(), e);
        }
    }

    static BertConfig bert(JsonObject o, String source) {
        String modelType = str(o, "model_type", "bert", source);
        try {
            return new BertConfig(
                    modelType,
                    integer(o, "vocab_size", null, source),
                    integer(o, "hidden_size", null, source),
                    integer(o, "num_hidden_layers", null, source),
                    integer(o, "num_attention_heads", null, source),
                    integer(o, "intermediate_size", null, source),
                    integer(o, "max_position_embeddings", 512, source),
                    integer(o, "type_vocab_size", 2, source),
                    number(o, "layer_norm_eps", 1e-12, source),
                    str(o, "hidden_act", "gelu", source),
                    str(o, "position_embedding_type", "absolute", source),
                    integer(o, "pad_token_id", 0, source));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(source + ": " + e.getMessage(), e);
        }
    }

    private static JsonElement get(JsonObject o, String key, boolean required, String source) {
        JsonElement e = o.get(key);
        if ((e == null || e.isJsonNull()) && required) {
            throw new ModelFormatException(source + ": missing required key \"" + key + "\"");
        }
        return e == null || e.isJsonNull() ? null : e;
    }

    private static int integer(JsonObject o, String key, Integer dflt, String source) {
        JsonElement e = get(o, key, dflt == null, source);
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

    private static double number(JsonObject o, String key, double dflt, String source) {
        JsonElement e = get(o, key, false, source);
        if (e == null) {
            return dflt;
        }
        try {
            return e.getAsDouble();
        } catch (NumberFormatException | UnsupportedOperationException | IllegalStateException ex) {
            throw new ModelFormatException(source + ": key \"" + key + "\" must be a number, got " + e, ex);
        }
    }

    private static String str(JsonObject o, String key, String dflt, String source) {
        JsonElement e = get(o, key, dflt == null, source);
        if (e == null) {
            return dflt;
        }
        if (!e.isJsonPrimitive()) {
            throw new ModelFormatException(source + ": key \"" + key + "\" must be a string, got " + e);
        }
        return e.getAsString();
    }
}
