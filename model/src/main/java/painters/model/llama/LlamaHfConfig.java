package painters.model.llama;

import java.io.Reader;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import painters.model.ModelFormatException;
import painters.model.decoder.*;
import painters.model.hf.HfJson;

/**
 * The one place that maps a Hugging Face Llama-family {@code config.json} (model_type llama or
 * mistral) onto {@link DecoderConfig}; the record validates the values.
 */
public final class LlamaHfConfig {

    /** Model types whose checkpoints this family reads (same tensor names and block). */
    public static final Set<String> MODEL_TYPES = Set.of("llama", "mistral");

    private LlamaHfConfig() {}

    public static DecoderConfig read(Path configJson) {
        return of(HfJson.read(configJson));
    }

    /**
     * The config of a HF checkpoint folder: {@code config.json}, with the BOS/EOS ids of
     * {@code generation_config.json} when it has them (what {@code generate()} uses; the first of a list of
     * EOS ids, e.g. Llama-3.1's [128001, 128008, 128009]).
     */
    public static DecoderConfig readDirectory(Path dir) {
        return new LlamaFamily().readDirectory(dir);
    }

    /** Parses a config from a reader; {@code source} names it in error messages. */
    public static DecoderConfig read(Reader reader, String source) {
        return of(HfJson.read(reader, source));
    }

    static DecoderConfig of(HfJson c) {
        String modelType = c.str("model_type", null);
        if (!MODEL_TYPES.contains(modelType)) {
            throw new ModelFormatException(c.source() + ": model_type \"" + modelType + "\" is not a Llama-family "
                    + "decoder (supported: " + new TreeSet<>(MODEL_TYPES) + ")");
        }
        for (String flag : new String[] {"attention_bias", "mlp_bias"}) {
            if (c.bool(flag, false)) {
                throw new ModelFormatException(c.source() + ": \"" + flag + "\": true is not supported (Llama blocks "
                        + "have no biases)");
            }
        }
        try {
            int hidden = c.integer("hidden_size", null);
            int heads = c.integer("num_attention_heads", null);
            return new DecoderConfig(
                    modelType,
                    c.integer("vocab_size", null),
                    hidden,
                    c.integer("intermediate_size", null),
                    c.integer("num_hidden_layers", null),
                    heads,
                    c.integer("num_key_value_heads", heads),
                    c.integer("head_dim", heads > 0 ? hidden / heads : 0),
                    c.integer("max_position_embeddings", 2048),
                    c.number("rms_norm_eps", 1e-6),
                    rope(c),
                    c.bool("tie_word_embeddings", false),
                    c.str("hidden_act", "silu"),
                    c.integer("sliding_window", 0),
                    c.firstInteger("bos_token_id"),
                    c.firstInteger("eos_token_id"));
        } catch (IllegalArgumentException e) {
            throw c.error(e.getMessage(), e);
        }
    }

    private static Rope rope(HfJson c) {
        double theta = c.number("rope_theta", 10000.0);
        HfJson s = c.object("rope_scaling");
        if (s == null) {
            return Rope.plain(theta);
        }
        String type = s.has("rope_type") ? s.str("rope_type", null) : s.str("type", "none");
        if (type.equals("default")) {
            return Rope.plain(theta);
        }
        return new Rope(theta, type, s.number("factor", 1.0), s.number("low_freq_factor", 0),
                s.number("high_freq_factor", 0), s.integer("original_max_position_embeddings", 0));
    }
}
