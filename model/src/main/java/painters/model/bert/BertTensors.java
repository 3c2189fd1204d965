package painters.model.bert;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import painters.model.weights.Part;
import painters.model.weights.TensorLayout;
import painters.model.weights.TensorSpec;

/**
 * Canonical tensor names of a BERT-family encoder, and the one place that maps checkpoint variants
 * onto them. Canonical names are those of HF {@code BertModel} without the {@code bert.} prefix:
 * {@code embeddings.word_embeddings.weight}, {@code encoder.layer.3.attention.self.query.weight}, ...
 * Dense weights keep PyTorch's {@code [out, in]} layout.
 */
public final class BertTensors {

    public static final String WORD = "embeddings.word_embeddings.weight";
    public static final String POSITION = "embeddings.position_embeddings.weight";
    public static final String TOKEN_TYPE = "embeddings.token_type_embeddings.weight";
    public static final String EMB_LN_W = "embeddings.LayerNorm.weight";
    public static final String EMB_LN_B = "embeddings.LayerNorm.bias";

    /** Per-block tensor suffixes, after {@code encoder.layer.<i>.}. */
    public static final String Q_W = "attention.self.query.weight";
    public static final String Q_B = "attention.self.query.bias";
    public static final String K_W = "attention.self.key.weight";
    public static final String K_B = "attention.self.key.bias";
    public static final String V_W = "attention.self.value.weight";
    public static final String V_B = "attention.self.value.bias";
    public static final String ATT_OUT_W = "attention.output.dense.weight";
    public static final String ATT_OUT_B = "attention.output.dense.bias";
    public static final String ATT_LN_W = "attention.output.LayerNorm.weight";
    public static final String ATT_LN_B = "attention.output.LayerNorm.bias";
    public static final String MLP_IN_W = "intermediate.dense.weight";
    public static final String MLP_IN_B = "intermediate.dense.bias";
    public static final String MLP_OUT_W = "output.dense.weight";
    public static final String MLP_OUT_B = "output.dense.bias";
    public static final String MLP_LN_W = "output.LayerNorm.weight";
    public static final String MLP_LN_B = "output.LayerNorm.bias";

    private BertTensors() {}

    /** Canonical name of a tensor of block {@code layer}. */
    public static String layer(int layer, String suffix) {
        return "encoder.layer." + layer + "." + suffix;
    }

    /**
     * Maps a checkpoint tensor name to its canonical name, or empty for tensors an encoder does not
     * use (pooler, MLM/NSP heads, the position_ids buffer). Handles the {@code bert.} prefix and the
     * TF-era {@code LayerNorm.gamma/beta}.
     */
    public static Optional<String> canonical(String checkpointName) {
        String n = checkpointName;
        if (n.startsWith("bert.")) {
            n = n.substring("bert.".length());
        } else if (n.startsWith("model.")) {
            n = n.substring("model.".length());
        }
        if (n.endsWith("LayerNorm.gamma")) {
            n = n.substring(0, n.length() - "gamma".length()) + "weight";
        } else if (n.endsWith("LayerNorm.beta")) {
            n = n.substring(0, n.length() - "beta".length()) + "bias";
        }
        if (n.equals("embeddings.position_ids") || n.startsWith("pooler.") || n.startsWith("cls.")) {
            return Optional.empty();
        }
        return Optional.of(n);
    }

    /** Whether {@link #canonical} drops this name on purpose (as opposed to an unknown tensor). */
    public static boolean isIgnored(String checkpointName) {
        return canonical(checkpointName).isEmpty();
    }

    /** Every tensor the encoder needs, in a stable order, with its shape, block and part. */
    public static TensorLayout layout(BertConfig c) {
        long d = c.hiddenSize();
        long ff = c.intermediateSize();
        List<TensorSpec> t = new ArrayList<>();
        t.add(new TensorSpec(WORD, new long[] {c.vocabSize(), d}, -1, Part.EMBEDDING));
        t.add(new TensorSpec(POSITION, new long[] {c.maxPositions(), d}, -1, Part.EMBEDDING));
        t.add(new TensorSpec(TOKEN_TYPE, new long[] {c.typeVocabSize(), d}, -1, Part.EMBEDDING));
        t.add(new TensorSpec(EMB_LN_W, new long[] {d}, -1, Part.EMBEDDING));
        t.add(new TensorSpec(EMB_LN_B, new long[] {d}, -1, Part.EMBEDDING));
        for (int i = 0; i < c.numLayers(); i++) {
            // the order of the checkpoint readers' tables (kept: optimizer state and sums iterate in it)
            t.add(block(i, Q_W, Part.Q, d, d));
            t.add(block(i, K_W, Part.K, d, d));
            t.add(block(i, V_W, Part.V, d, d));
            t.add(block(i, ATT_OUT_W, Part.O, d, d));
            t.add(block(i, Q_B, Part.Q, d));
            t.add(block(i, K_B, Part.K, d));
            t.add(block(i, V_B, Part.V, d));
            t.add(block(i, ATT_OUT_B, Part.O, d));
            t.add(block(i, ATT_LN_W, Part.NORM, d));
            t.add(block(i, ATT_LN_B, Part.NORM, d));
            t.add(block(i, MLP_OUT_B, Part.DOWN, d));
            t.add(block(i, MLP_LN_W, Part.NORM, d));
            t.add(block(i, MLP_LN_B, Part.NORM, d));
            t.add(block(i, MLP_IN_W, Part.UP, ff, d));
            t.add(block(i, MLP_IN_B, Part.UP, ff));
            t.add(block(i, MLP_OUT_W, Part.DOWN, d, ff));
        }
        return new TensorLayout(t);
    }

    private static TensorSpec block(int i, String suffix, Part part, long... shape) {
        return new TensorSpec(layer(i, suffix), shape, i, part);
    }
}
