package painters.model.hf;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import painters.model.bert.BertConfig;

/**
 * Canonical tensor names of a BERT-family encoder, and the one place that maps checkpoint variants
 * onto them. Canonical names are those of HF {@code BertModel} without the {@code bert.} prefix:
 * {@code embeddings.word_embeddings.weight}, {@code encoder.layer.3.attention.self.query.weight}, ...
 * Dense weights keep PyTorch's {@code [out, in]} layout.
 */
public final class BertTensorNames {

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

    private BertTensorNames() {}

    /** The block a canonical tensor name belongs to, or -1 (embeddings, final norm, head). */
    public static int blockOf(String canonicalName) {
        if (!canonicalName.startsWith("encoder.layer.")) {
            return -1;
        }
        int from = "encoder.layer.".length();
        int dot = canonicalName.indexOf('.', from);
        try {
            return Integer.parseInt(canonicalName.substring(from, dot));
        } catch (RuntimeException e) {
            return -1;
        }
    }

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

    /** Every tensor the encoder needs, in a stable order, with its expected shape. */
    public static Map<String, long[]> expectedShapes(BertConfig c) {
        long d = c.hiddenSize();
        long ff = c.intermediateSize();
        Map<String, long[]> m = new LinkedHashMap<>();
        m.put(WORD, new long[] {c.vocabSize(), d});
        m.put(POSITION, new long[] {c.maxPositions(), d});
        m.put(TOKEN_TYPE, new long[] {c.typeVocabSize(), d});
        m.put(EMB_LN_W, new long[] {d});
        m.put(EMB_LN_B, new long[] {d});
        for (int i = 0; i < c.numLayers(); i++) {
            for (String w : new String[] {Q_W, K_W, V_W, ATT_OUT_W}) {
                m.put(layer(i, w), new long[] {d, d});
            }
            for (String b : new String[] {Q_B, K_B, V_B, ATT_OUT_B, ATT_LN_W, ATT_LN_B, MLP_OUT_B, MLP_LN_W,
                    MLP_LN_B}) {
                m.put(layer(i, b), new long[] {d});
            }
            m.put(layer(i, MLP_IN_W), new long[] {ff, d});
            m.put(layer(i, MLP_IN_B), new long[] {ff});
            m.put(layer(i, MLP_OUT_W), new long[] {d, ff});
        }
        return m;
    }
}
