package painters.model.qwen;

import java.util.List;
import java.util.Set;
import painters.model.decoder.DecoderConfig;
import painters.model.decoder.DecoderSpec;
import painters.model.decoder.HfDecoderFamily;
import painters.model.decoder.HfDecoderKeys;
import painters.model.decoder.TensorNames;
import painters.model.decoder.TensorRole;
import painters.model.hf.HfJson;

/**
 * Qwen2 / Qwen2.5 ({@code qwen2}: q/k/v projections with biases, no o bias) and Qwen3 ({@code qwen3}: per-head
 * RMSNorm on q and on k before RoPE, explicit {@code head_dim}, biases only with {@code attention_bias}). Both:
 * Llama's tensor names, RMSNorm, SwiGLU, RoPE, GQA, a tied or untied head; with {@code use_sliding_window} the
 * layers from {@code max_window_layers} on (or those {@code layer_types} marks) attend within
 * {@code sliding_window}.
 */
public final class QwenFamily extends HfDecoderFamily {

    @Override
    public String name() {
        return "qwen";
    }

    @Override
    protected Set<String> modelTypes() {
        return Set.of("qwen2", "qwen3");
    }

    @Override
    protected DecoderConfig config(HfJson c) {
        boolean qwen3 = "qwen3".equals(c.str("model_type", null));
        boolean bias = qwen3 ? c.bool("attention_bias", false) : true;
        TensorNames.Builder names = DecoderSpec.llamaStyle(bias, qwen3);
        if (qwen3 && bias) {
            names.role(TensorRole.O_BIAS, "model.layers.{i}.self_attn.o_proj.bias");
        }
        DecoderSpec s = DecoderSpec.plain(names.build());
        if (qwen3) {
            s = new DecoderSpec(s.names(), s.norm(), 0, false, true, false, 1, 0, 0, 0, 1);
        }
        int layers = c.integer("num_hidden_layers", null);
        boolean windowed = c.bool("use_sliding_window", false) && c.has("sliding_window");
        int from = c.integer("max_window_layers", layers);
        List<Boolean> local = windowed ? HfDecoderKeys.localLayers(c, layers, i -> i >= from) : List.of();
        return HfDecoderKeys.llamaKeys(c, s, HfDecoderKeys.activation(c, "hidden_act", c.str("hidden_act", "silu")),
                false, windowed && local.contains(Boolean.TRUE) ? c.integer("sliding_window", 0) : 0,
                windowed && local.contains(Boolean.TRUE) ? local : List.of());
    }
}
