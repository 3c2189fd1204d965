package painters.model.phi3;

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
 * Phi-3 decoders ({@code phi3}; Abdin et al. 2024): Llama's block with a fused {@code qkv_proj} (rows: q, then k,
 * then v) and a fused {@code gate_up_proj} (rows: gate, then up), RMSNorm, SwiGLU, RoPE (on
 * {@code partial_rotary_factor} of each head), an untied head; {@code sliding_window} applies to every layer.
 * LongRoPE scaling ({@code rope_scaling} type {@code longrope}/{@code su}: the 128k models, Phi-3.5) as transformers
 * applies it ({@link painters.model.decoder.Rope.LongRope}).
 */
public final class Phi3Family extends HfDecoderFamily {

    @Override
    public String name() {
        return "phi3";
    }

    @Override
    protected Set<String> modelTypes() {
        return Set.of("phi3");
    }

    @Override
    protected DecoderConfig config(HfJson c) {
        String l = "model.layers.{i}.";
        TensorNames names = TensorNames.builder("model.")
                .role(EMBED, "model.embed_tokens.weight")
                .block(l, ATTN_NORM, "input_layernorm.weight", QKV, "self_attn.qkv_proj.weight",
                        O, "self_attn.o_proj.weight", MLP_NORM, "post_attention_layernorm.weight",
                        GATE_UP, "mlp.gate_up_proj.weight", DOWN, "mlp.down_proj.weight")
                .role(FINAL_NORM, "model.norm.weight")
                .role(LM_HEAD, "lm_head.weight")
                .ignore("rotary_emb.inv_freq")
                .build();
        DecoderSpec s = new DecoderSpec(names, DecoderSpec.Norm.RMS, 0, false, false, false,
                HfDecoderKeys.rotaryFraction(c, "partial_rotary_factor", 1.0), 0, 0, 0, 1);
        return HfDecoderKeys.llamaKeys(c, s, HfDecoderKeys.activation(c, "hidden_act", c.str("hidden_act", "silu")),
                false, c.integer("sliding_window", 0), List.of());
    }
}
