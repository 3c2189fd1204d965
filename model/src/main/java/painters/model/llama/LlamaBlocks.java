package painters.model.llama;

import static painters.model.llama.LlamaTensors.*;

import java.util.List;
import java.util.function.IntUnaryOperator;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import painters.model.graph.BlockStack;
import painters.model.graph.GraphWeights;

/**
 * The pieces of a Llama-family decoder inside one {@link SameDiff} graph: token embedding, blocks
 * addressable by index, final norm and output head. Every pretrained tensor is one graph variable
 * named as in the checkpoint ({@link GraphWeights}), so a block applied several times reuses (ties)
 * the same weights unless the stack is untied.
 *
 * <p>A block is pre-norm (Touvron et al. 2023):
 * <pre>
 *   h = x + Wo Attn(RoPE(Wq n1(x)), RoPE(Wk n1(x)), Wv n1(x))     n(x) = w x / sqrt(mean(x^2) + eps)
 *   y = h + Wdown (silu(Wgate n2(h)) * Wup n2(h))                 silu(x) = x sigmoid(x)
 * </pre>
 * Attention is causal (the additive bias placeholder carries causality, padding and Mistral's sliding
 * window), with grouped-query heads: query head {@code j} reads key/value head {@code j / groupSize}
 * (computed by grouping the queries, without copying keys). RoPE is HF's rotate-half form.
 *
 * <p>KV cache: every executed step {@code k} exposes its keys and values (after RoPE) as
 * {@code present_k.k} / {@code present_v.k} {@code [batch, kvHeads, keys, headDim]}. In a graph built
 * {@code cached}, placeholders {@code past_k.k} / {@code past_v.k} hold the earlier positions and are
 * prepended. A parallel step stores the mean of its layers' keys and values in its one slot (as the
 * paper's code does during generation); each layer still attends to its own new keys.
 */
public final class LlamaBlocks {

    /** Additive bias for a masked key; exp underflows to exactly 0. */
    public static final float MASK_BIAS = -1e9f;

    public static final String PRESENT_K = "present_k.";
    public static final String PRESENT_V = "present_v.";
    public static final String PAST_K = "past_k.";
    public static final String PAST_V = "past_v.";

    private final SameDiff sd;
    private final LlamaConfig c;
    private final GraphWeights vars;
    private final SDVariable rotate;
    /** Which copy of a block's weights the block being built reads (1: the pretrained variables). */
    private int use = 1;

    /** Registers every tensor of {@code weights} as a variable of {@code sd}. */
    public LlamaBlocks(SameDiff sd, LlamaWeights weights) {
        this.sd = sd;
        this.c = weights.config();
        this.vars = new GraphWeights(sd, weights.tensors());
        this.rotate = sd.constant("rope_rotate_half", rotateHalfMatrix(c.headDim()));
    }

    public LlamaConfig config() {
        return c;
    }

    /** The graph variables of the weights (untied copies, weight transforms). */
    public GraphWeights weights() {
        return vars;
    }

    /** The graph variable holding a pretrained tensor (canonical name). */
    public SDVariable weight(String name) {
        return vars.get(name);
    }

    /**
     * Placeholders and per-batch tensors every block needs.
     *
     * @param ids     {@code input_ids} INT64 {@code [B, S]}
     * @param bias    {@code attention_bias} FLOAT {@code [B, 1, S, keys]}: 0 where a query may read a key
     * @param cos     RoPE cosines for the batch's positions {@code [B, 1, S, hd]}
     * @param sin     RoPE sines, same shape
     * @param b       {@code [1]}: B
     * @param s       {@code [1]}: S
     * @param keys    {@code [1]}: number of keys (past + S)
     * @param cached  whether {@code past_k.k / past_v.k} placeholders are prepended
     */
    public record Inputs(SDVariable ids, SDVariable bias, SDVariable cos, SDVariable sin, SDVariable b,
                         SDVariable s, SDVariable keys, boolean cached) {}

    /** Creates {@code input_ids}, {@code position_ids} (INT64 [B, S]) and {@code attention_bias}. */
    public Inputs placeholders(boolean cached) {
        SDVariable ids = sd.placeHolder("input_ids", DataType.LONG, -1, -1);
        SDVariable pos = sd.placeHolder("position_ids", DataType.LONG, -1, -1);
        SDVariable bias = sd.placeHolder("attention_bias", DataType.FLOAT, -1, 1, -1, -1);
        SDVariable shape = sd.shape(ids).castTo(DataType.LONG);
        SDVariable b = sd.slice(shape, new int[] {0}, 1);
        SDVariable s = sd.slice(shape, new int[] {1}, 1);
        SDVariable keys = sd.slice(sd.shape(bias).castTo(DataType.LONG), new int[] {3}, 1);
        float[][] tables = c.rope().tables(c.maxPositions(), c.headDim());
        SDVariable cosTable = sd.constant("rope_cos", Nd4j.create(tables[0], new long[] {c.maxPositions(), c.headDim()}, 'c'));
        SDVariable sinTable = sd.constant("rope_sin", Nd4j.create(tables[1], new long[] {c.maxPositions(), c.headDim()}, 'c'));
        SDVariable flatPos = sd.reshape(pos, -1);
        SDVariable b1shd = shape(b, 1, s, c.headDim());
        SDVariable cos = sd.reshape(sd.gather(cosTable, flatPos, 0), b1shd);
        SDVariable sin = sd.reshape(sd.gather(sinTable, flatPos, 0), b1shd);
        return new Inputs(ids, bias, cos, sin, b, s, keys, cached);
    }

    /** Token embeddings {@code [B, S, d]}. */
    public SDVariable embeddings(Inputs in) {
        SDVariable e = sd.gather(weight(EMBED), sd.reshape(in.ids(), -1), 0);
        return sd.reshape(e, shape(in.b(), in.s(), c.hiddenSize()));
    }

    /** Final RMSNorm and output head: logits {@code [B, S, vocab]}. */
    public SDVariable logits(SDVariable x, Inputs in) {
        SDVariable h = rmsNorm(sd.reshape(x, -1, c.hiddenSize()), weight(FINAL_NORM));
        SDVariable head = weight(c.tieWordEmbeddings() ? EMBED : LM_HEAD);
        return sd.reshape(sd.mmul(h, head, false, true, false), shape(in.b(), in.s(), c.vocabSize()));
    }

    /** The blocks bound to one set of inputs, for {@link painters.model.graph.PlanGraph}. */
    public BlockStack stack(Inputs in) {
        return stack(in, false);
    }

    /**
     * The blocks bound to one set of inputs; with {@code untie}, the k-th use (k >= 2) of a block runs
     * its own copy of the block's weights ({@link GraphWeights#copyName}). Without, every use shares
     * one set (tied).
     */
    public BlockStack stack(Inputs in, boolean untie) {
        return stack(in, untie, java.util.List.of());
    }

    /**
     * As {@link #stack(Inputs, boolean)} for a graph of a plan's later steps: {@code before}, the flattened
     * plan's earlier steps, count as uses ({@link GraphWeights#uses(boolean, java.util.List)}).
     */
    public BlockStack stack(Inputs in, boolean untie, java.util.List<painters.model.plan.Step> before) {
        IntUnaryOperator uses = GraphWeights.uses(untie, before);
        return new BlockStack() {
            @Override
            public int numLayers() {
                return c.numLayers();
            }

            @Override
            public SDVariable block(int layer, SDVariable x) {
                return run(-1, layer, x);
            }

            @Override
            public SDVariable run(int step, int layer, SDVariable x) {
                use = uses.applyAsInt(layer);
                try {
                    SDVariable x2 = sd.reshape(x, -1, c.hiddenSize());
                    Qkv p = project(layer, x2, in);
                    Kv kv = step < 0 ? new Kv(p.k, p.v) : cache(step, p.k, p.v, in);
                    return finish(layer, x2, attend(layer, p.q, kv.k, kv.v, in), in);
                } finally {
                    use = 1;
                }
            }

            @Override
            public SDVariable parallel(int step, List<Integer> layers, SDVariable x) {
                SDVariable x2 = sd.reshape(x, -1, c.hiddenSize());
                Qkv[] p = new Qkv[layers.size()];
                SDVariable[] ks = new SDVariable[p.length];
                SDVariable[] vs = new SDVariable[p.length];
                int[] copy = new int[p.length];
                for (int i = 0; i < p.length; i++) {
                    copy[i] = uses.applyAsInt(layers.get(i));
                    use = copy[i];
                    p[i] = project(layers.get(i), x2, in);
                    ks[i] = p[i].k;
                    vs[i] = p[i].v;
                }
                use = 1;
                Kv stored = cache(step, p.length == 1 ? ks[0] : sd.math.mergeAvg(ks),
                        p.length == 1 ? vs[0] : sd.math.mergeAvg(vs), in);
                SDVariable[] outs = new SDVariable[p.length];
                for (int i = 0; i < p.length; i++) {
                    SDVariable k = in.cached() ? sd.concat(2, past(PAST_K, step), p[i].k) : p[i].k;
                    SDVariable v = in.cached() ? sd.concat(2, past(PAST_V, step), p[i].v) : p[i].v;
                    if (p.length == 1) {
                        k = stored.k;
                        v = stored.v;
                    }
                    use = copy[i];
                    outs[i] = finish(layers.get(i), x2, attend(layers.get(i), p[i].q, k, v, in), in);
                    use = 1;
                }
                return p.length == 1 ? outs[0] : sd.math.mergeAvg(outs);
            }
        };
    }

    private record Qkv(SDVariable q, SDVariable k, SDVariable v) {}

    private record Kv(SDVariable k, SDVariable v) {}

    /** q {@code [B, nh, S, hd]}, k and v {@code [B, nkv, S, hd]}, RoPE applied to q and k. */
    private Qkv project(int layer, SDVariable x2, Inputs in) {
        if (layer < 0 || layer >= c.numLayers()) {
            throw new IndexOutOfBoundsException("block " + layer + " outside 0.." + (c.numLayers() - 1));
        }
        SDVariable h = rmsNorm(x2, w(layer, ATT_NORM));
        SDVariable q = heads(dense(h, w(layer, Q)), c.numHeads(), in);
        SDVariable k = heads(dense(h, w(layer, K)), c.numKvHeads(), in);
        SDVariable v = heads(dense(h, w(layer, V)), c.numKvHeads(), in);
        return new Qkv(rope(q, in), rope(k, in), v);
    }

    /** Prepends the cached keys/values of executed step {@code step} and names the result present. */
    private Kv cache(int step, SDVariable k, SDVariable v, Inputs in) {
        if (in.cached()) {
            k = sd.concat(2, past(PAST_K, step), k);
            v = sd.concat(2, past(PAST_V, step), v);
        }
        return new Kv(sd.identity(PRESENT_K + step, k), sd.identity(PRESENT_V + step, v));
    }

    private SDVariable past(String prefix, int step) {
        String name = prefix + step;
        return sd.hasVariable(name) ? sd.getVariable(name)
                : sd.placeHolder(name, DataType.FLOAT, -1, c.numKvHeads(), -1, c.headDim());
    }

    /** Causal grouped-query attention and the output projection: {@code [B*S, d]}. */
    private SDVariable attend(int layer, SDVariable q, SDVariable k, SDVariable v, Inputs in) {
        int nh = c.numHeads();
        int nkv = c.numKvHeads();
        int hd = c.headDim();
        // [B, nh, S, hd] -> [B, nkv, group*S, hd]: the queries that share a key/value head, stacked
        SDVariable qg = sd.reshape(q, shape(in.b(), nkv, -1, hd));
        SDVariable scores = sd.mmul(qg, k, false, true, false).div(Math.sqrt(hd));          // [B, nkv, g*S, keys]
        SDVariable s4 = sd.reshape(scores, shape(in.b(), nh, in.s(), in.keys())).add(in.bias());  // [B, nh, S, keys]
        SDVariable probs = sd.nn.softmax(s4, 3);
        SDVariable ctx = sd.mmul(sd.reshape(probs, shape(in.b(), nkv, -1, in.keys())), v);       // [B, nkv, g*S, hd]
        SDVariable merged = sd.permute(sd.reshape(ctx, shape(in.b(), nh, in.s(), hd)), 0, 2, 1, 3);
        return dense(sd.reshape(merged, -1, c.qDim()), w(layer, O));
    }

    /** Residual add, then the SwiGLU MLP with its residual: {@code [B, S, d]}. */
    private SDVariable finish(int layer, SDVariable x2, SDVariable attn, Inputs in) {
        SDVariable h = x2.add(attn);
        SDVariable n = rmsNorm(h, w(layer, MLP_NORM));
        SDVariable gate = dense(n, w(layer, GATE));
        SDVariable act = gate.mul(sd.nn.sigmoid(gate)).mul(dense(n, w(layer, UP)));
        SDVariable y = h.add(dense(act, w(layer, DOWN)));
        return sd.reshape(y, shape(in.b(), in.s(), c.hiddenSize()));
    }

    /** {@code [B*S, heads*hd] -> [B, heads, S, hd]}. */
    private SDVariable heads(SDVariable x2, int heads, Inputs in) {
        return sd.permute(sd.reshape(x2, shape(in.b(), in.s(), heads, c.headDim())), 0, 2, 1, 3);
    }

    /** {@code x cos + rotate_half(x) sin}; rotate_half is a signed permutation, applied as a matmul. */
    private SDVariable rope(SDVariable x, Inputs in) {
        SDVariable rot = sd.reshape(sd.mmul(sd.reshape(x, -1, c.headDim()), rotate), sd.shape(x));
        return x.mul(in.cos()).add(rot.mul(in.sin()));
    }

    /** {@code [hd, hd]} R with {@code x R = concat(-x[hd/2:], x[:hd/2])}. */
    static INDArray rotateHalfMatrix(int hd) {
        int half = hd / 2;
        float[] r = new float[hd * hd];
        for (int j = 0; j < half; j++) {
            r[(j + half) * hd + j] = -1f;     // out[j] = -x[j + half]
            r[j * hd + j + half] = 1f;        // out[j + half] = x[j]
        }
        return Nd4j.create(r, new long[] {hd, hd}, 'c');
    }

    /** {@code x W^T} with W in PyTorch's [out, in] layout. */
    private SDVariable dense(SDVariable x, SDVariable w) {
        return sd.mmul(x, w, false, true, false);
    }

    /** RMSNorm over the last axis of a 2-D input: {@code w x / sqrt(mean(x^2) + eps)}. */
    private SDVariable rmsNorm(SDVariable x, SDVariable w) {
        SDVariable ms = sd.math.square(x).mean(true, 1);
        return x.div(sd.math.sqrt(ms.add(c.rmsNormEps()))).mul(w);
    }

    /** A shape vector from [1]-vectors and constants. */
    private SDVariable shape(Object... parts) {
        SDVariable[] vs = new SDVariable[parts.length];
        for (int i = 0; i < parts.length; i++) {
            vs[i] = parts[i] instanceof SDVariable v ? v
                    : sd.constant(Nd4j.createFromArray(new long[] {((Number) parts[i]).longValue()}));
        }
        return sd.concat(0, vs);
    }

    private SDVariable w(int layer, String suffix) {
        return vars.block(layer(layer, suffix), use);
    }
}
