package painters.model.llama;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import painters.model.weights.Part;
import painters.model.weights.TensorLayout;
import painters.model.weights.TensorSpec;

/**
 * Canonical tensor names of a Llama-family decoder, and the one place that maps checkpoint variants
 * onto them. Canonical names are those of HF {@code LlamaForCausalLM} / {@code MistralForCausalLM}
 * ({@code model.embed_tokens.weight}, {@code model.layers.3.self_attn.q_proj.weight},
 * {@code lm_head.weight}); dense weights keep PyTorch's {@code [out, in]} layout and q/k rows are in
 * the rotate-half order HF uses (llama2.c files are permuted on load, see
 * {@link Llama2cCheckpoint}).
 */
public final class LlamaTensors {

    public static final String EMBED = "model.embed_tokens.weight";
    public static final String FINAL_NORM = "model.norm.weight";
    public static final String LM_HEAD = "lm_head.weight";

    /** Per-block tensor suffixes, after {@code model.layers.<i>.}. */
    public static final String ATT_NORM = "input_layernorm.weight";
    public static final String Q = "self_attn.q_proj.weight";
    public static final String K = "self_attn.k_proj.weight";
    public static final String V = "self_attn.v_proj.weight";
    public static final String O = "self_attn.o_proj.weight";
    public static final String MLP_NORM = "post_attention_layernorm.weight";
    public static final String GATE = "mlp.gate_proj.weight";
    public static final String UP = "mlp.up_proj.weight";
    public static final String DOWN = "mlp.down_proj.weight";

    private LlamaTensors() {}

    /** Canonical name of a tensor of block {@code layer}. */
    public static String layer(int layer, String suffix) {
        return "model.layers." + layer + "." + suffix;
    }

    /**
     * Maps a checkpoint name to its canonical name, or empty for buffers a decoder does not use
     * (the {@code rotary_emb.inv_freq} buffers older checkpoints carry). Bare names without the
     * {@code model.} prefix (some exports) are accepted.
     */
    public static Optional<String> canonical(String checkpointName) {
        String n = checkpointName;
        if (n.endsWith("rotary_emb.inv_freq")) {
            return Optional.empty();
        }
        if (!n.startsWith("model.") && !n.equals(LM_HEAD)) {
            n = "model." + n;
        }
        return Optional.of(n);
    }

    /** Every tensor the decoder needs, in a stable order, with its shape, block and part. */
    public static TensorLayout layout(LlamaConfig c) {
        long d = c.hiddenSize();
        long ff = c.intermediateSize();
        List<TensorSpec> t = new ArrayList<>();
        t.add(new TensorSpec(EMBED, new long[] {c.vocabSize(), d}, -1, Part.EMBEDDING));
        for (int i = 0; i < c.numLayers(); i++) {
            t.add(block(i, ATT_NORM, Part.NORM, d));
            t.add(block(i, Q, Part.Q, c.qDim(), d));
            t.add(block(i, K, Part.K, c.kvDim(), d));
            t.add(block(i, V, Part.V, c.kvDim(), d));
            t.add(block(i, O, Part.O, d, c.qDim()));
            t.add(block(i, MLP_NORM, Part.NORM, d));
            t.add(block(i, GATE, Part.GATE, ff, d));
            t.add(block(i, UP, Part.UP, ff, d));
            t.add(block(i, DOWN, Part.DOWN, d, ff));
        }
        t.add(new TensorSpec(FINAL_NORM, new long[] {d}, -1, Part.FINAL_NORM));
        if (!c.tieWordEmbeddings()) {
            t.add(new TensorSpec(LM_HEAD, new long[] {c.vocabSize(), d}, -1, Part.LM_HEAD));
        }
        return new TensorLayout(t);
    }

    private static TensorSpec block(int i, String suffix, Part part, long... shape) {
        return new TensorSpec(layer(i, suffix), shape, i, part);
    }
}
