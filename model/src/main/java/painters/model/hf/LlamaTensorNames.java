package painters.model.hf;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import painters.model.llama.LlamaConfig;

/**
 * Canonical tensor names of a Llama-family decoder, and the one place that maps checkpoint variants
 * onto them. Canonical names are those of HF {@code LlamaForCausalLM} / {@code MistralForCausalLM}
 * ({@code model.embed_tokens.weight}, {@code model.layers.3.self_attn.q_proj.weight},
 * {@code lm_head.weight}); dense weights keep PyTorch's {@code [out, in]} layout and q/k rows are in
 * the rotate-half order HF uses (llama2.c files are permuted on load, see
 * {@link painters.model.llama.Llama2cCheckpoint}).
 */
public final class LlamaTensorNames {

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

    private LlamaTensorNames() {}

    /** The block a canonical tensor name belongs to, or -1 (embeddings, final norm, head). */
    public static int blockOf(String canonicalName) {
        if (!canonicalName.startsWith("model.layers.")) {
            return -1;
        }
        int from = "model.layers.".length();
        int dot = canonicalName.indexOf('.', from);
        try {
            return Integer.parseInt(canonicalName.substring(from, dot));
        } catch (RuntimeException e) {
            return -1;
        }
    }

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

    /** Every tensor the decoder needs, in a stable order, with its expected shape. */
    public static Map<String, long[]> expectedShapes(LlamaConfig c) {
        long d = c.hiddenSize();
        long ff = c.intermediateSize();
        Map<String, long[]> m = new LinkedHashMap<>();
        m.put(EMBED, new long[] {c.vocabSize(), d});
        for (int i = 0; i < c.numLayers(); i++) {
            m.put(layer(i, ATT_NORM), new long[] {d});
            m.put(layer(i, Q), new long[] {c.qDim(), d});
            m.put(layer(i, K), new long[] {c.kvDim(), d});
            m.put(layer(i, V), new long[] {c.kvDim(), d});
            m.put(layer(i, O), new long[] {d, c.qDim()});
            m.put(layer(i, MLP_NORM), new long[] {d});
            m.put(layer(i, GATE), new long[] {ff, d});
            m.put(layer(i, UP), new long[] {ff, d});
            m.put(layer(i, DOWN), new long[] {d, ff});
        }
        m.put(FINAL_NORM, new long[] {d});
        if (!c.tieWordEmbeddings()) {
            m.put(LM_HEAD, new long[] {c.vocabSize(), d});
        }
        return m;
    }
}
