package painters.model.decoder;

import static painters.model.decoder.TensorRole.*;

import java.util.ArrayList;
import java.util.List;
import painters.model.weights.TensorLayout;
import painters.model.weights.TensorSpec;

/**
 * Every tensor a dense decoder's checkpoint holds, from its config: the roles its family names
 * ({@link DecoderSpec#names}) with the shapes the config implies, in a stable order (embeddings, block 0, 1, ...,
 * final norm, head), each with its block and part as data. Dense weights in PyTorch's {@code [out, in]} layout
 * (roles stored {@code [in, out]} are transposed on load); q/k rows in the rotate-half order HF uses.
 */
public final class DecoderTensors {

    private DecoderTensors() {}

    /** The layout of a decoder with config {@code c}. */
    public static TensorLayout layout(DecoderConfig c) {
        TensorNames n = c.spec().names();
        long d = c.hiddenSize();
        long ff = c.intermediateSize();
        long q = c.qDim();
        long kv = c.kvDim();
        List<TensorSpec> t = new ArrayList<>();
        t.add(spec(n, EMBED, -1, c.vocabSize(), d));
        if (n.has(POS_EMBED)) {
            t.add(spec(n, POS_EMBED, -1, c.maxPositions(), d));
        }
        long qNorm = c.spec().qkNormPerHead() ? c.headDim() : q;
        long kNorm = c.spec().qkNormPerHead() ? c.headDim() : kv;
        for (int i = 0; i < c.numLayers(); i++) {
            add(t, n, ATTN_NORM, i, d);
            add(t, n, ATTN_NORM_BIAS, i, d);
            add(t, n, Q, i, q, d);
            add(t, n, Q_BIAS, i, q);
            add(t, n, K, i, kv, d);
            add(t, n, K_BIAS, i, kv);
            add(t, n, V, i, kv, d);
            add(t, n, V_BIAS, i, kv);
            add(t, n, QKV, i, q + 2 * kv, d);
            add(t, n, QKV_BIAS, i, q + 2 * kv);
            add(t, n, Q_NORM, i, qNorm);
            add(t, n, K_NORM, i, kNorm);
            add(t, n, O, i, d, q);
            add(t, n, O_BIAS, i, d);
            add(t, n, ATTN_POST_NORM, i, d);
            add(t, n, MLP_NORM, i, d);
            add(t, n, MLP_NORM_BIAS, i, d);
            add(t, n, GATE, i, ff, d);
            add(t, n, UP, i, ff, d);
            add(t, n, GATE_UP, i, 2 * ff, d);
            add(t, n, UP_BIAS, i, ff);
            add(t, n, DOWN, i, d, ff);
            add(t, n, DOWN_BIAS, i, d);
            add(t, n, MLP_POST_NORM, i, d);
        }
        t.add(spec(n, FINAL_NORM, -1, d));
        add(t, n, FINAL_NORM_BIAS, -1, d);
        if (!c.tieWordEmbeddings()) {
            t.add(spec(n, LM_HEAD, -1, c.vocabSize(), d));
        }
        return new TensorLayout(t);
    }

    private static void add(List<TensorSpec> t, TensorNames n, TensorRole r, int layer, long... shape) {
        if (n.has(r)) {
            t.add(spec(n, r, layer, shape));
        }
    }

    private static TensorSpec spec(TensorNames n, TensorRole r, int layer, long... shape) {
        return new TensorSpec(n.name(r, layer), shape, r.perLayer() ? layer : -1, r.part());
    }
}
