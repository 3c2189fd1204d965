package painters.model.gptneox;

import static painters.model.decoder.TensorRole.*;

import java.util.List;
import java.util.Set;
import painters.model.decoder.DecoderConfig;
import painters.model.decoder.DecoderSpec;
import painters.model.decoder.HfDecoderFamily;
import painters.model.decoder.HfDecoderKeys;
import painters.model.decoder.TensorNames;
import painters.model.hf.HfJson;

/**
 * GPT-NeoX decoders ({@code gpt_neox}: Pythia, GPT-NeoX-20B; Black et al. 2022, Biderman et al. 2023): a fused
 * {@code query_key_value} with bias whose rows are grouped per head ({@code [heads, 3, head_dim]}), RoPE on the
 * first {@code rotary_pct} of each head's dimensions (base {@code rotary_emb_base}), parallel residual
 * ({@code x + attn(ln1(x)) + mlp(ln2(x))}) or sequential ({@code use_parallel_residual} false), LayerNorm with
 * bias, a plain MLP with biases and exact GELU, an untied {@code embed_out} head. Multi-head attention (no GQA).
 */
public final class GptNeoXFamily extends HfDecoderFamily {

    @Override
    public String name() {
        return "gptneox";
    }

    @Override
    protected Set<String> modelTypes() {
        return Set.of("gpt_neox");
    }

    @Override
    protected DecoderConfig config(HfJson c) {
        boolean bias = c.bool("attention_bias", true);
        String l = "gpt_neox.layers.{i}.";
        TensorNames.Builder b = TensorNames.builder("gpt_neox.")
                .role(EMBED, "gpt_neox.embed_in.weight")
                .block(l, ATTN_NORM, "input_layernorm.weight", ATTN_NORM_BIAS, "input_layernorm.bias",
                        QKV, "attention.query_key_value.weight", O, "attention.dense.weight",
                        MLP_NORM, "post_attention_layernorm.weight", MLP_NORM_BIAS, "post_attention_layernorm.bias",
                        UP, "mlp.dense_h_to_4h.weight", UP_BIAS, "mlp.dense_h_to_4h.bias",
                        DOWN, "mlp.dense_4h_to_h.weight", DOWN_BIAS, "mlp.dense_4h_to_h.bias")
                .role(FINAL_NORM, "gpt_neox.final_layer_norm.weight")
                .role(FINAL_NORM_BIAS, "gpt_neox.final_layer_norm.bias")
                .role(LM_HEAD, "embed_out.weight")
                .ignore(".attention.bias", ".attention.masked_bias", "rotary_emb.inv_freq");
        if (bias) {
            b.block(l, QKV_BIAS, "attention.query_key_value.bias", O_BIAS, "attention.dense.bias");
        }
        DecoderSpec s = new DecoderSpec(b.build(), DecoderSpec.Norm.LAYER, 0, c.bool("use_parallel_residual", true),
                false, true, HfDecoderKeys.rotaryFraction(c, "rotary_pct", 0.25), 0, 0, 0, 1);
        try {
            int hidden = c.integer("hidden_size", null);
            int heads = c.integer("num_attention_heads", null);
            return new DecoderConfig("gpt_neox", c.integer("vocab_size", null), hidden,
                    c.integer("intermediate_size", null), c.integer("num_hidden_layers", null), heads, heads,
                    heads > 0 ? hidden / heads : 0, c.integer("max_position_embeddings", 2048),
                    c.number("layer_norm_eps", 1e-5), HfDecoderKeys.rope(c, "rotary_emb_base"),
                    c.bool("tie_word_embeddings", false),
                    HfDecoderKeys.activation(c, "hidden_act", c.str("hidden_act", "gelu")), 0,
                    c.firstInteger("bos_token_id"), c.firstInteger("eos_token_id"), s, List.of());
        } catch (IllegalArgumentException e) {
            throw c.error(e.getMessage(), e);
        }
    }
}
