package painters.model.gemma;

import static painters.model.decoder.TensorRole.*;

import java.util.List;
import java.util.Set;
import painters.model.decoder.DecoderConfig;
import painters.model.decoder.DecoderSpec;
import painters.model.decoder.HfDecoderFamily;
import painters.model.decoder.HfDecoderKeys;
import painters.model.decoder.TensorNames;
import painters.model.hf.HfJson;
import painters.model.weights.HalfFloats;

/**
 * Gemma ({@code gemma}) and Gemma 2 ({@code gemma2}) decoders (Gemma Team 2024). Both: RMSNorm as
 * {@code x_hat (1 + w)}, token embeddings scaled by {@code sqrt(hidden)} rounded to the weights' dtype, an explicit
 * {@code head_dim} (heads x head_dim may differ from hidden), GeGLU with the tanh GELU, multi-query or grouped
 * attention, a tied head. Gemma 2 adds norms after attention and after the MLP inside the residual branch
 * ({@code post_attention_layernorm}, {@code post_feedforward_layernorm}; the MLP's pre-norm is
 * {@code pre_feedforward_layernorm}), attention-logit and final-logit soft-caps, the attention scale
 * {@code query_pre_attn_scalar^-1/2}, and sliding-window attention on the even layers (0, 2, ...: HF's
 * {@code not bool(layer_idx % 2)}, or the config's {@code layer_types}); a layer keeps its window wherever a plan
 * runs it.
 */
public final class GemmaFamily extends HfDecoderFamily {

    @Override
    public String name() {
        return "gemma";
    }

    @Override
    protected Set<String> modelTypes() {
        return Set.of("gemma", "gemma2");
    }

    @Override
    protected DecoderConfig config(HfJson c) {
        boolean gemma2 = "gemma2".equals(c.str("model_type", null));
        int hidden = c.integer("hidden_size", null);
        double embedScale = HalfFloats.roundedTo(c.torchDtype(), Math.sqrt(hidden));
        String actKey = c.has("hidden_activation") ? "hidden_activation" : "hidden_act";
        // Gemma 1 checkpoints say hidden_act "gelu" but run the tanh GELU (HF overrides it when hidden_activation is unset)
        String act = gemma2 || c.has("hidden_activation") ? HfDecoderKeys.activation(c, actKey, c.str(actKey, "gelu_pytorch_tanh"))
                : "gelu_tanh";
        if (!gemma2) {
            DecoderSpec s = new DecoderSpec(DecoderSpec.llamaStyle(false, false).build(), DecoderSpec.Norm.RMS, 1, false,
                    false, false, 1, 0, 0, 0, embedScale);
            return HfDecoderKeys.llamaKeys(c, s, act, true, 0, List.of());
        }
        String l = "model.layers.{i}.";
        TensorNames names = TensorNames.builder("model.")
                .role(EMBED, "model.embed_tokens.weight")
                .block(l, ATTN_NORM, "input_layernorm.weight", Q, "self_attn.q_proj.weight",
                        K, "self_attn.k_proj.weight", V, "self_attn.v_proj.weight", O, "self_attn.o_proj.weight",
                        ATTN_POST_NORM, "post_attention_layernorm.weight", MLP_NORM, "pre_feedforward_layernorm.weight",
                        GATE, "mlp.gate_proj.weight", UP, "mlp.up_proj.weight", DOWN, "mlp.down_proj.weight",
                        MLP_POST_NORM, "post_feedforward_layernorm.weight")
                .role(FINAL_NORM, "model.norm.weight")
                .role(LM_HEAD, "lm_head.weight")
                .ignore("rotary_emb.inv_freq")
                .build();
        double scalar = c.number("query_pre_attn_scalar", 256);
        DecoderSpec s = new DecoderSpec(names, DecoderSpec.Norm.RMS, 1, false, false, false, 1,
                c.number("attn_logit_softcapping", 0), c.number("final_logit_softcapping", 0), 1 / Math.sqrt(scalar),
                embedScale);
        int layers = c.integer("num_hidden_layers", null);
        int window = c.integer("sliding_window", 0);
        return HfDecoderKeys.llamaKeys(c, s, act, true, window,
                window > 0 ? HfDecoderKeys.localLayers(c, layers, i -> i % 2 == 0) : List.of());
    }
}
