package painters.model.decoder;

import com.google.gson.JsonElement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import painters.model.ModelFormatException;
import painters.model.hf.HfJson;

/**
 * The {@code config.json} keys that many decoder families share (the Llama set, RoPE, activations, per-layer
 * attention types), read one way. Each family's mapping calls these and reads its own keys itself.
 */
public final class HfDecoderKeys {

    private HfDecoderKeys() {}

    /**
     * The config of a decoder with Llama's keys ({@code vocab_size, hidden_size, intermediate_size,
     * num_hidden_layers, num_attention_heads, num_key_value_heads, head_dim, max_position_embeddings, rms_norm_eps,
     * rope_theta / rope_scaling / rope_parameters, tie_word_embeddings, bos_token_id, eos_token_id}) and the
     * family's switches, activation and windows.
     */
    public static DecoderConfig llamaKeys(HfJson c, DecoderSpec spec, String act, boolean tiedByDefault, int window,
                                          List<Boolean> localLayers) {
        String modelType = c.str("model_type", null);
        try {
            int hidden = c.integer("hidden_size", null);
            int heads = c.integer("num_attention_heads", null);
            return new DecoderConfig(modelType, c.integer("vocab_size", null), hidden,
                    c.integer("intermediate_size", null), c.integer("num_hidden_layers", null), heads,
                    c.integer("num_key_value_heads", heads), c.integer("head_dim", heads > 0 ? hidden / heads : 0),
                    c.integer("max_position_embeddings", 2048), c.number("rms_norm_eps", 1e-6), rope(c),
                    c.bool("tie_word_embeddings", tiedByDefault), act, window, c.firstInteger("bos_token_id"),
                    c.firstInteger("eos_token_id"), spec, localLayers);
        } catch (IllegalArgumentException e) {
            throw c.error(e.getMessage(), e);
        }
    }

    /**
     * RoPE from {@code rope_theta} (default {@code thetaKey}'s value or 10000) and {@code rope_scaling}, or from
     * the newer {@code rope_parameters} object ({@code rope_theta}, {@code rope_type} and the scaling keys).
     */
    public static Rope rope(HfJson c) {
        return rope(c, "rope_theta");
    }

    /** As {@link #rope(HfJson)} with the base under another key (GPT-NeoX's {@code rotary_emb_base}). */
    public static Rope rope(HfJson c, String thetaKey) {
        HfJson params = c.object("rope_parameters");
        double theta = c.number(thetaKey, params != null ? params.number("rope_theta", 10000.0) : 10000.0);
        HfJson s = c.object("rope_scaling");
        if (s == null) {
            s = params;
        }
        if (s == null) {
            return Rope.plain(theta);
        }
        String type = s.has("rope_type") ? s.str("rope_type", null) : s.str("type", "default");
        if (type.equals("default") || type.equals("none")) {
            return Rope.plain(theta);
        }
        try {
            if (type.equals("longrope") || type.equals("su")) {
                return longRope(c, s, theta);
            }
            return new Rope(theta, type, s.number("factor", 1.0), s.number("low_freq_factor", 0),
                    s.number("high_freq_factor", 0), s.integer("original_max_position_embeddings", 0));
        } catch (IllegalArgumentException e) {
            throw c.error(e.getMessage(), e);
        }
    }

    /**
     * LongRoPE ({@code longrope}, or {@code su} as the first Phi-3 128k configs name it) as transformers reads it: the
     * short and long factors from {@code s}; the original context from the config's
     * {@code original_max_position_embeddings} (then the scale is {@code max_position_embeddings} over it), else the
     * model's positions with {@code s.factor}; {@code s.attention_factor}, else the default of that scale.
     */
    private static Rope longRope(HfJson c, HfJson s, double theta) {
        int max = c.integer("max_position_embeddings", 2048);
        int original = c.has("original_max_position_embeddings") ? c.integer("original_max_position_embeddings", null)
                : s.integer("original_max_position_embeddings", max);
        double scale = c.has("original_max_position_embeddings") ? (double) max / original : s.number("factor", 1.0);
        double attention = s.has("attention_factor") ? s.number("attention_factor", 1.0)
                : scale <= 1 ? 1.0 : Math.sqrt(1 + Math.log(scale) / Math.log(original));
        return new Rope(theta, "longrope", 1, 0, 0, original,
                new Rope.LongRope(s.numbers("short_factor"), s.numbers("long_factor"), attention, original));
    }

    /** The share of each head RoPE rotates: {@code rope_parameters.partial_rotary_factor}, else {@code key}. */
    public static double rotaryFraction(HfJson c, String key, double dflt) {
        HfJson params = c.object("rope_parameters");
        if (params != null && params.has("partial_rotary_factor")) {
            return params.number("partial_rotary_factor", dflt);
        }
        return c.number(key, dflt);
    }

    /** A HF activation name as the block's: silu, gelu (exact) or gelu_tanh. */
    public static String activation(HfJson c, String key, String value) {
        return switch (value) {
            case "silu", "swish" -> "silu";
            case "gelu" -> "gelu";
            case "gelu_new", "gelu_pytorch_tanh", "gelu_fast" -> "gelu_tanh";
            default -> throw new ModelFormatException(c.source() + ": \"" + key + "\": \"" + value
                    + "\" is not supported (supported: silu, gelu, gelu_new, gelu_pytorch_tanh, gelu_fast)");
        };
    }

    /**
     * Which layers use the sliding window: the config's {@code layer_types} ("sliding_attention" /
     * "full_attention") when it has them, else {@code sliding} per layer index.
     */
    public static List<Boolean> localLayers(HfJson c, int layers, IntPredicate sliding) {
        List<Boolean> out = new ArrayList<>();
        JsonElement types = c.element("layer_types");
        if (types != null) {
            if (!types.isJsonArray() || types.getAsJsonArray().size() != layers) {
                throw new ModelFormatException(c.source() + ": \"layer_types\" must list " + layers + " layer types");
            }
            for (JsonElement t : types.getAsJsonArray()) {
                String s = t.getAsString();
                if (!s.equals("sliding_attention") && !s.equals("full_attention")) {
                    throw new ModelFormatException(c.source() + ": \"layer_types\": \"" + s
                            + "\" is not sliding_attention or full_attention");
                }
                out.add(s.equals("sliding_attention"));
            }
            return out;
        }
        for (int i = 0; i < layers; i++) {
            out.add(sliding.test(i));
        }
        return out;
    }

    /** Refuses a switch the block does not implement, naming the key. */
    public static void refuse(HfJson c, boolean present, String key, String why) {
        if (present) {
            throw new ModelFormatException(c.source() + ": \"" + key + "\" " + why);
        }
    }
}
