package painters.model.gpt2;

import static painters.model.decoder.TensorRole.*;

import java.util.List;
import java.util.Set;
import painters.model.decoder.DecoderConfig;
import painters.model.decoder.DecoderSpec;
import painters.model.decoder.HfDecoderFamily;
import painters.model.decoder.HfDecoderKeys;
import painters.model.decoder.Rope;
import painters.model.decoder.TensorNames;
import painters.model.hf.HfJson;

/**
 * GPT-2 decoders ({@code gpt2}; Radford et al. 2019): learned position embeddings ({@code wpe}), pre-LayerNorm
 * with bias, a fused {@code c_attn} (q, k, v columns), a plain MLP with {@code gelu_new} (the tanh GELU), biases
 * everywhere, a tied head. Its Conv1D weights are stored {@code [in, out]} and transposed once on load. Tensor
 * names with or without the {@code transformer.} prefix; the {@code attn.bias}/{@code attn.masked_bias} buffers of
 * old files are ignored. {@code scale_attn_by_inverse_layer_idx} (a per-layer factor) is refused by name.
 */
public final class Gpt2Family extends HfDecoderFamily {

    @Override
    public String name() {
        return "gpt2";
    }

    @Override
    protected Set<String> modelTypes() {
        return Set.of("gpt2");
    }

    /** GPT-2's {@code _init_weights}: every {@code c_proj.weight} at {@code initializer_range / sqrt(2 n_layer)}. */
    @Override
    protected double streamStd(DecoderConfig c, double std) {
        return std / Math.sqrt(2.0 * c.numLayers());
    }

    @Override
    protected DecoderConfig config(HfJson c) {
        HfDecoderKeys.refuse(c, c.bool("scale_attn_by_inverse_layer_idx", false), "scale_attn_by_inverse_layer_idx",
                "true is not supported");
        HfDecoderKeys.refuse(c, !c.bool("scale_attn_weights", true), "scale_attn_weights", "false is not supported");
        String l = "transformer.h.{i}.";
        TensorNames names = TensorNames.builder("transformer.")
                .role(EMBED, "transformer.wte.weight")
                .role(POS_EMBED, "transformer.wpe.weight")
                .block(l, ATTN_NORM, "ln_1.weight", ATTN_NORM_BIAS, "ln_1.bias", QKV, "attn.c_attn.weight",
                        QKV_BIAS, "attn.c_attn.bias", O, "attn.c_proj.weight", O_BIAS, "attn.c_proj.bias",
                        MLP_NORM, "ln_2.weight", MLP_NORM_BIAS, "ln_2.bias", UP, "mlp.c_fc.weight",
                        UP_BIAS, "mlp.c_fc.bias", DOWN, "mlp.c_proj.weight", DOWN_BIAS, "mlp.c_proj.bias")
                .role(FINAL_NORM, "transformer.ln_f.weight")
                .role(FINAL_NORM_BIAS, "transformer.ln_f.bias")
                .role(LM_HEAD, "lm_head.weight")
                .ignore(".attn.bias", ".attn.masked_bias")
                .transposed(QKV, O, UP, DOWN)
                .build();
        DecoderSpec s = new DecoderSpec(names, DecoderSpec.Norm.LAYER, 0, false, false, false, 0, 0, 0, 0, 1);
        try {
            int hidden = c.integer("n_embd", null);
            int heads = c.integer("n_head", null);
            int inner = c.has("n_inner") ? c.integer("n_inner", null) : 4 * hidden;
            return new DecoderConfig("gpt2", c.integer("vocab_size", null), hidden, inner, c.integer("n_layer", null),
                    heads, heads, heads > 0 ? hidden / heads : 0, c.integer("n_positions", 1024),
                    c.number("layer_norm_epsilon", 1e-5), Rope.plain(10000), c.bool("tie_word_embeddings", true),
                    HfDecoderKeys.activation(c, "activation_function", c.str("activation_function", "gelu_new")), 0,
                    c.firstInteger("bos_token_id"), c.firstInteger("eos_token_id"), s, List.of());
        } catch (IllegalArgumentException e) {
            throw c.error(e.getMessage(), e);
        }
    }
}
