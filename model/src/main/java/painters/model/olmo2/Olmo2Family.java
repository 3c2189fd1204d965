package painters.model.olmo2;

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
 * OLMo 2 decoders ({@code olmo2}; OLMo Team 2024): no norms before attention or the MLP; RMSNorms on their
 * outputs inside the residual branch ({@code post_attention_layernorm}, {@code post_feedforward_layernorm}), and
 * RMSNorms over the whole q and k projections before RoPE ({@code q_norm [heads x head_dim]},
 * {@code k_norm [kv_heads x head_dim]}); SwiGLU, an untied head. A description of the shared block: no code of its own.
 */
public final class Olmo2Family extends HfDecoderFamily {

    @Override
    public String name() {
        return "olmo2";
    }

    @Override
    protected Set<String> modelTypes() {
        return Set.of("olmo2");
    }

    @Override
    protected DecoderConfig config(HfJson c) {
        String l = "model.layers.{i}.";
        TensorNames names = TensorNames.builder("model.")
                .role(EMBED, "model.embed_tokens.weight")
                .block(l, Q, "self_attn.q_proj.weight", K, "self_attn.k_proj.weight", V, "self_attn.v_proj.weight",
                        Q_NORM, "self_attn.q_norm.weight", K_NORM, "self_attn.k_norm.weight",
                        O, "self_attn.o_proj.weight", ATTN_POST_NORM, "post_attention_layernorm.weight",
                        GATE, "mlp.gate_proj.weight", UP, "mlp.up_proj.weight", DOWN, "mlp.down_proj.weight",
                        MLP_POST_NORM, "post_feedforward_layernorm.weight")
                .role(FINAL_NORM, "model.norm.weight")
                .role(LM_HEAD, "lm_head.weight")
                .ignore("rotary_emb.inv_freq")
                .build();
        HfDecoderKeys.refuse(c, c.bool("attention_bias", false), "attention_bias", "true is not supported");
        return HfDecoderKeys.llamaKeys(c, DecoderSpec.plain(names),
                HfDecoderKeys.activation(c, "hidden_act", c.str("hidden_act", "silu")), false, 0, List.of());
    }
}
