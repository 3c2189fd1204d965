package painters.model.decoder;

import static painters.model.decoder.TensorRole.*;

import java.util.Arrays;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import painters.model.UserInputException;
import painters.model.graph.BlockFactory;
import painters.model.graph.BlockStack;
import painters.model.graph.GraphWeights;
import painters.model.plan.PlanText;
import painters.model.plan.Step;

/**
 * The pieces of a dense decoder inside one {@link SameDiff} graph: token (and position) embedding, blocks
 * addressable by index, final norm and output head. Every pretrained tensor is one graph variable named as in
 * the checkpoint ({@link GraphWeights}), so a block applied several times reuses (ties) the same weights unless
 * the stack is untied. What differs between families comes from the config's {@link DecoderSpec}.
 *
 * <p>A block, sequential (Llama, Touvron et al. 2023; Qwen, Gemma, Phi-3, GPT-2, OLMo 2) or parallel (GPT-NeoX,
 * GPT-J):
 * <pre>
 *   sequential:  h = x + P1(Attn(n1(x)));  y = h + P2(MLP(n2(h)))
 *   parallel:    y = x + Attn(n1(x)) + MLP(n2(x))
 *   (each "x +" is "a x +" for a model trained here with residual scale a; a = 0 drops it, {@link painters.model.family.Residual})
 *   Attn(z)  = Wo softmax(cap(s (q k^T)) + mask) v + bo,  q = RoPE(nq(Wq z + bq)), k = RoPE(nk(Wk z + bk)), v = Wv z + bv
 *   MLP(z)   = Wdown (act(Wgate z) * Wup z)  (gated)   or   Wdown act(Wup z + bup) + bdown
 * </pre>
 * where {@code n1, n2} are pre-norms (absent in OLMo 2), {@code P1, P2} post-norms inside the residual branch
 * (Gemma 2, OLMo 2; identity elsewhere), {@code nq, nk} query/key norms (Qwen3, OLMo 2), {@code cap} a soft-cap
 * (Gemma 2), and a norm is RMSNorm {@code (w + offset) x / sqrt(mean(x^2) + eps)} or LayerNorm with bias.
 * Attention is causal (the additive bias placeholders carry causality, padding and sliding windows; a block
 * reads the windowed bias when its layer is windowed, wherever the plan runs it), with grouped-query heads: query
 * head {@code j} reads key/value head {@code j / groupSize} (computed by grouping the queries, without copying
 * keys). RoPE is HF's rotate-half form on each head's first {@link DecoderConfig#rotaryDims} dimensions.
 *
 * <p>KV cache: every executed step {@code k} exposes its keys and values (after RoPE) as
 * {@code present_k.k} / {@code present_v.k} {@code [batch, kvHeads, keys, headDim]}. In a graph built
 * {@code cached}, placeholders {@code past_k.k} / {@code past_v.k} hold the earlier positions and are
 * prepended. A parallel step stores the mean of its layers' keys and values in its one slot (as the
 * paper's code does during generation); each layer still attends to its own new keys.
 */
public final class DecoderBlocks implements BlockFactory<DecoderBlocks.Inputs> {

    /** Additive bias for a masked key; exp underflows to exactly 0. */
    public static final float MASK_BIAS = -1e9f;

    public static final String PRESENT_K = "present_k.";
    public static final String PRESENT_V = "present_v.";
    public static final String PAST_K = "past_k.";
    public static final String PAST_V = "past_v.";

    private final SameDiff sd;
    private final DecoderConfig c;
    private final DecoderSpec spec;
    private final TensorNames names;
    private final GraphWeights vars;
    private final SDVariable rotate;
    /** Which copy of a block's weights the block being built reads (1: the pretrained variables). */
    private int use = 1;
    /** While a merge step is built: its blocks and the copy of each it reads (null otherwise). */
    private List<Integer> merging;
    private int[] mergeUses;

    /** Registers every tensor of {@code weights} as a variable of {@code sd}. */
    public DecoderBlocks(SameDiff sd, DecoderWeights weights) {
        this.sd = sd;
        this.c = weights.config();
        this.spec = c.spec();
        this.names = spec.names();
        this.vars = new GraphWeights(sd, weights.tensors());
        this.rotate = c.rotaryDims() > 0 ? sd.constant("rope_rotate_half", rotateHalfMatrix(c.headDim(), c.rotaryDims()))
                : null;
    }

    public DecoderConfig config() {
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
     * @param ids        {@code input_ids} INT64 {@code [B, S]}
     * @param bias       {@code attention_bias} FLOAT {@code [B, 1, S, keys]}: 0 where a query may read a key
     * @param windowBias {@code attention_bias_window}, the same with the sliding window, for a model whose blocks
     *                   differ in window; null otherwise (then {@code bias} carries any window)
     * @param positions  flattened position ids {@code [B*S]}
     * @param cos        RoPE cosines for the batch's positions {@code [B, 1, S, hd]} (null without RoPE)
     * @param sin        RoPE sines, same shape
     * @param b          {@code [1]}: B
     * @param s          {@code [1]}: S
     * @param keys       {@code [1]}: number of keys (past + S)
     * @param cached     whether {@code past_k.k / past_v.k} placeholders are prepended
     */
    public record Inputs(SDVariable ids, SDVariable bias, SDVariable windowBias, SDVariable positions, SDVariable cos,
                         SDVariable sin, SDVariable b, SDVariable s, SDVariable keys, boolean cached) {}

    /** Creates {@code input_ids}, {@code position_ids} (INT64 [B, S]) and the attention bias placeholders. */
    public Inputs placeholders(boolean cached) {
        SDVariable ids = sd.placeHolder("input_ids", DataType.INT64, -1, -1);
        SDVariable pos = sd.placeHolder("position_ids", DataType.INT64, -1, -1);
        SDVariable bias = sd.placeHolder(DecoderBatch.BIAS, DataType.FLOAT, -1, 1, -1, -1);
        SDVariable windowBias = c.mixedWindows()
                ? sd.placeHolder(DecoderBatch.WINDOW_BIAS, DataType.FLOAT, -1, 1, -1, -1) : null;
        SDVariable shape = sd.shape(ids).castTo(DataType.INT64);
        SDVariable b = sd.slice(shape, new int[] {0}, 1);
        SDVariable s = sd.slice(shape, new int[] {1}, 1);
        SDVariable keys = sd.slice(sd.shape(bias).castTo(DataType.INT64), new int[] {3}, 1);
        SDVariable flatPos = sd.reshape(pos, -1);
        SDVariable cos = null;
        SDVariable sin = null;
        if (rotate != null) {
            INDArray[] tables = ropeTables();
            SDVariable b1shd = shape(b, 1, s, c.headDim());
            SDVariable rows = c.rope().longRope() == null ? flatPos
                    : sd.reshape(sd.placeHolder(DecoderBatch.ROPE_ROWS, DataType.INT64, -1, -1), -1);
            cos = sd.reshape(sd.gather(sd.constant("rope_cos", tables[0]), rows, 0), b1shd);
            sin = sd.reshape(sd.gather(sd.constant("rope_sin", tables[1]), rows, 0), b1shd);
        }
        return new Inputs(ids, bias, windowBias, flatPos, cos, sin, b, s, keys, cached);
    }

    /**
     * {@code [rows, headDim]} cosine and sine tables ({@link Rope#tableRows}: a row per position, twice under
     * LongRoPE): the RoPE tables of the rotary dimensions, then cos 1 and sin 0 (no rotation) for the rest of each head.
     */
    private INDArray[] ropeTables() {
        int hd = c.headDim();
        int rd = c.rotaryDims();
        int n = c.rope().tableRows(c.maxPositions());
        float[][] t = c.rope().tables(c.maxPositions(), rd);
        float[] cos = new float[n * hd];
        float[] sin = new float[n * hd];
        for (int p = 0; p < n; p++) {
            Arrays.fill(cos, p * hd + rd, (p + 1) * hd, 1f);
            System.arraycopy(t[0], p * rd, cos, p * hd, rd);
            System.arraycopy(t[1], p * rd, sin, p * hd, rd);
        }
        return new INDArray[] {Nd4j.create(cos, new long[] {n, hd}, 'c'), Nd4j.create(sin, new long[] {n, hd}, 'c')};
    }

    /**
     * Looks the embedding tables up as one-hot rows times the table instead of a gather, so that they train: SameDiff
     * M2.1's gather gradient is wrong (STACK.md). Costs {@code B*S x rows} floats per table: for the small
     * vocabularies of models pre-trained here.
     */
    public void trainableTables() {
        this.trainableTables = true;
    }

    private boolean trainableTables;

    /** Token embeddings (scaled; plus learned position embeddings) {@code [B, S, d]}. */
    public SDVariable embeddings(Inputs in) {
        SDVariable e = lookUp(weight(names.name(EMBED)), sd.reshape(in.ids(), -1), c.vocabSize());
        if (spec.embedScale() != 1) {
            e = e.mul(spec.embedScale());
        }
        if (names.has(POS_EMBED)) {
            e = e.add(lookUp(weight(names.name(POS_EMBED)), in.positions(), c.maxPositions()));
        }
        return sd.reshape(e, shape(in.b(), in.s(), c.hiddenSize()));
    }

    /** Rows {@code ids} of {@code table}: a gather, or a one-hot product where the tables train. */
    private SDVariable lookUp(SDVariable table, SDVariable ids, int rows) {
        return trainableTables ? sd.oneHot(ids, rows, -1, 1.0, 0.0, DataType.FLOAT).mmul(table) : sd.gather(table, ids, 0);
    }

    /** Final norm, output head and any final soft-cap: logits {@code [B, S, vocab]}. */
    public SDVariable logits(SDVariable x, Inputs in) {
        SDVariable h = norm(sd.reshape(x, -1, c.hiddenSize()), weight(names.name(FINAL_NORM)),
                names.has(FINAL_NORM_BIAS) ? weight(names.name(FINAL_NORM_BIAS)) : null);
        SDVariable head = weight(names.name(c.tieWordEmbeddings() ? EMBED : LM_HEAD));
        SDVariable logits = softcap(sd.mmul(h, head, false, true, false), spec.finalSoftcap());
        return sd.reshape(logits, shape(in.b(), in.s(), c.vocabSize()));
    }

    @Override
    public BlockStack stack(Inputs in, boolean untie, List<Step> before) {
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
                    return apply(step, layer, x, in);
                } finally {
                    use = 1;
                }
            }

            @Override
            public SDVariable merged(int step, List<Integer> layers, SDVariable x) {
                int window = c.window(layers.get(0));
                for (int l : layers) {
                    if (c.window(l) != window) {
                        throw new UserInputException("merge step " + PlanText.print(new Step.Merge(layers))
                                + " joins blocks with different attention windows (block " + layers.get(0) + ": "
                                + window + ", block " + l + ": " + c.window(l) + "; 0: global)");
                    }
                }
                merging = layers;
                mergeUses = GraphWeights.copies(uses, layers);
                try {
                    // the first block's window (checked above to be every block's); every tensor read is the mean
                    return apply(step, layers.get(0), x, in);
                } finally {
                    merging = null;
                    mergeUses = null;
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

    /** One block applied at executed step {@code step} (-1: no cache), with the weights {@link #w} reads now. */
    private SDVariable apply(int step, int layer, SDVariable x, Inputs in) {
        SDVariable x2 = sd.reshape(x, -1, c.hiddenSize());
        Qkv p = project(layer, x2, in);
        Kv kv = step < 0 ? new Kv(p.k, p.v) : cache(step, p.k, p.v, in);
        return finish(layer, x2, attend(layer, p.q, kv.k, kv.v, in), in);
    }

    private record Qkv(SDVariable q, SDVariable k, SDVariable v) {}

    private record Kv(SDVariable k, SDVariable v) {}

    /** q {@code [B, nh, S, hd]}, k and v {@code [B, nkv, S, hd]}, query/key norms and RoPE applied. */
    private Qkv project(int layer, SDVariable x2, Inputs in) {
        if (layer < 0 || layer >= c.numLayers()) {
            throw new IndexOutOfBoundsException("block " + layer + " outside 0.." + (c.numLayers() - 1));
        }
        SDVariable h = preNorm(layer, ATTN_NORM, ATTN_NORM_BIAS, x2);
        SDVariable q;
        SDVariable k;
        SDVariable v;
        if (names.has(QKV)) {
            SDVariable fused = linear(h, layer, QKV, QKV_BIAS);                      // [B*S, q + 2 kv]
            if (spec.qkvPerHead()) {                                                // rows [heads, 3, hd]
                SDVariable f4 = sd.reshape(fused, -1, c.numHeads(), 3, c.headDim());
                q = sd.reshape(f4.get(SDIndex.all(), SDIndex.all(), SDIndex.point(0), SDIndex.all()), -1, c.qDim());
                k = sd.reshape(f4.get(SDIndex.all(), SDIndex.all(), SDIndex.point(1), SDIndex.all()), -1, c.kvDim());
                v = sd.reshape(f4.get(SDIndex.all(), SDIndex.all(), SDIndex.point(2), SDIndex.all()), -1, c.kvDim());
            } else {                                                                // rows q, then k, then v
                int qd = c.qDim();
                int kvd = c.kvDim();
                q = fused.get(SDIndex.all(), SDIndex.interval(0, qd));
                k = fused.get(SDIndex.all(), SDIndex.interval(qd, qd + kvd));
                v = fused.get(SDIndex.all(), SDIndex.interval(qd + kvd, qd + 2 * kvd));
            }
        } else {
            q = linear(h, layer, Q, Q_BIAS);
            k = linear(h, layer, K, K_BIAS);
            v = linear(h, layer, V, V_BIAS);
        }
        if (names.has(Q_NORM) && !spec.qkNormPerHead()) {
            q = norm(q, w(layer, Q_NORM), null);
            k = norm(k, w(layer, K_NORM), null);
        }
        SDVariable qh = heads(q, c.numHeads(), in);
        SDVariable kh = heads(k, c.numKvHeads(), in);
        if (names.has(Q_NORM) && spec.qkNormPerHead()) {
            qh = sd.reshape(norm(sd.reshape(qh, -1, c.headDim()), w(layer, Q_NORM), null), sd.shape(qh));
            kh = sd.reshape(norm(sd.reshape(kh, -1, c.headDim()), w(layer, K_NORM), null), sd.shape(kh));
        }
        return new Qkv(rope(qh, in), rope(kh, in), heads(v, c.numKvHeads(), in));
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
        double scale = spec.attnScale() > 0 ? spec.attnScale() : 1 / Math.sqrt(hd);
        // [B, nh, S, hd] -> [B, nkv, group*S, hd]: the queries that share a key/value head, stacked
        SDVariable qg = sd.reshape(q, shape(in.b(), nkv, -1, hd));
        SDVariable scores = softcap(sd.mmul(qg, k, false, true, false).mul(scale), spec.attnSoftcap()); // [B, nkv, g*S, keys]
        SDVariable bias = in.windowBias() != null && c.window(layer) > 0 ? in.windowBias() : in.bias();
        SDVariable s4 = sd.reshape(scores, shape(in.b(), nh, in.s(), in.keys())).add(bias);   // [B, nh, S, keys]
        SDVariable probs = sd.nn.softmax(s4, 3);
        SDVariable ctx = sd.mmul(sd.reshape(probs, shape(in.b(), nkv, -1, in.keys())), v);       // [B, nkv, g*S, hd]
        SDVariable merged = sd.permute(sd.reshape(ctx, shape(in.b(), nh, in.s(), hd)), 0, 2, 1, 3);
        return linear(sd.reshape(merged, -1, c.qDim()), layer, O, O_BIAS);
    }

    /**
     * A residual add, {@code a x + f} with the spec's residual scale a: {@code x + f} as released, {@code f} alone
     * without residual connections (a = 0: the sub-layer's output replaces the stream).
     */
    private SDVariable residual(SDVariable x, SDVariable f) {
        double a = spec.residualScale();
        return a == 1 ? x.add(f) : a == 0 ? f : x.mul(a).add(f);
    }

    /** The attention output into the residual stream, then the MLP with its residual: {@code [B, S, d]}. */
    private SDVariable finish(int layer, SDVariable x2, SDVariable attn, Inputs in) {
        if (names.has(ATTN_POST_NORM)) {
            attn = norm(attn, w(layer, ATTN_POST_NORM), null);
        }
        SDVariable y;
        if (spec.parallelResidual()) {
            y = residual(x2, attn.add(mlp(layer, preNorm(layer, MLP_NORM, MLP_NORM_BIAS, x2))));
        } else {
            SDVariable h = residual(x2, attn);
            SDVariable m = mlp(layer, preNorm(layer, MLP_NORM, MLP_NORM_BIAS, h));
            if (names.has(MLP_POST_NORM)) {
                m = norm(m, w(layer, MLP_POST_NORM), null);
            }
            y = residual(h, m);
        }
        return sd.reshape(y, shape(in.b(), in.s(), c.hiddenSize()));
    }

    /** The MLP on a normed input {@code [B*S, d]}: gated ({@code act(gate) * up}) or plain, then down. */
    private SDVariable mlp(int layer, SDVariable n) {
        SDVariable hidden;
        if (names.has(GATE_UP)) {
            SDVariable gu = linear(n, layer, GATE_UP, null);                          // [B*S, 2 ff]: gate, then up
            int ff = c.intermediateSize();
            hidden = activation(gu.get(SDIndex.all(), SDIndex.interval(0, ff)))
                    .mul(gu.get(SDIndex.all(), SDIndex.interval(ff, 2 * ff)));
        } else if (names.has(GATE)) {
            hidden = activation(linear(n, layer, GATE, null)).mul(linear(n, layer, UP, null));
        } else {
            hidden = activation(linear(n, layer, UP, UP_BIAS));
        }
        return linear(hidden, layer, DOWN, DOWN_BIAS);
    }

    /** The norm of a role before attention or the MLP, or the input itself where the family has none. */
    private SDVariable preNorm(int layer, TensorRole scale, TensorRole bias, SDVariable x) {
        return names.has(scale) ? norm(x, w(layer, scale), names.has(bias) ? w(layer, bias) : null) : x;
    }

    /** {@code [B*S, heads*hd] -> [B, heads, S, hd]}. */
    private SDVariable heads(SDVariable x2, int heads, Inputs in) {
        return sd.permute(sd.reshape(x2, shape(in.b(), in.s(), heads, c.headDim())), 0, 2, 1, 3);
    }

    /** {@code x cos + rotate_half(x) sin}; rotate_half is a signed permutation, applied as a matmul. */
    private SDVariable rope(SDVariable x, Inputs in) {
        if (rotate == null) {
            return x;
        }
        SDVariable rot = sd.reshape(sd.mmul(sd.reshape(x, -1, c.headDim()), rotate), sd.shape(x));
        return x.mul(in.cos()).add(rot.mul(in.sin()));
    }

    /**
     * {@code [hd, hd]} R with {@code x R = concat(-x[rd/2:rd], x[:rd/2], 0...)}: rotate-half on the first {@code rd}
     * dimensions (their sines are 0 beyond, so the rest passes through the cosine term alone).
     */
    static INDArray rotateHalfMatrix(int hd, int rd) {
        int half = rd / 2;
        float[] r = new float[hd * hd];
        for (int j = 0; j < half; j++) {
            r[(j + half) * hd + j] = -1f;     // out[j] = -x[j + half]
            r[j * hd + j + half] = 1f;        // out[j + half] = x[j]
        }
        return Nd4j.create(r, new long[] {hd, hd}, 'c');
    }

    /** {@code x W^T + b} with W in PyTorch's [out, in] layout; {@code bias} null or a role the family may lack. */
    private SDVariable linear(SDVariable x, int layer, TensorRole weight, TensorRole bias) {
        SDVariable y = sd.mmul(x, w(layer, weight), false, true, false);
        return bias != null && names.has(bias) ? y.add(w(layer, bias)) : y;
    }

    /** The config's activation: silu, exact (erf) GELU, or GELU's tanh approximation. */
    private SDVariable activation(SDVariable x) {
        return switch (c.hiddenAct()) {
            case "silu" -> x.mul(sd.nn.sigmoid(x));
            case "gelu" -> x.mul(0.5).mul(sd.math.erf(x.mul(1 / Math.sqrt(2))).add(1));
            case "gelu_tanh" -> x.mul(0.5).mul(sd.math.tanh(x.add(x.mul(x).mul(x).mul(0.044715))
                    .mul(Math.sqrt(2 / Math.PI))).add(1));
            default -> throw new IllegalStateException("activation " + c.hiddenAct());
        };
    }

    /**
     * The config's norm over the last axis of a 2-D input: RMSNorm {@code (w + offset) x / sqrt(mean(x^2) + eps)},
     * or LayerNorm {@code w (x - mean) / sqrt(var + eps) + b}.
     */
    private SDVariable norm(SDVariable x, SDVariable w, SDVariable b) {
        SDVariable scale = spec.normOffset() != 0 ? w.add(spec.normOffset()) : w;
        if (spec.norm() == DecoderSpec.Norm.RMS) {
            SDVariable ms = sd.math.square(x).mean(true, 1);
            return x.div(sd.math.sqrt(ms.add(c.normEps()))).mul(scale);
        }
        SDVariable centered = x.sub(x.mean(true, 1));
        SDVariable var = sd.math.square(centered).mean(true, 1);
        SDVariable y = centered.div(sd.math.sqrt(var.add(c.normEps()))).mul(scale);
        return b != null ? y.add(b) : y;
    }

    /** {@code cap tanh(x / cap)}, or {@code x} for cap 0. */
    private SDVariable softcap(SDVariable x, double cap) {
        return cap > 0 ? sd.math.tanh(x.div(cap)).mul(cap) : x;
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

    private SDVariable w(int layer, TensorRole role) {
        if (merging != null) {
            return vars.mean(merging.stream().map(l -> names.name(role, l)).toList(), mergeUses);
        }
        return vars.block(names.name(role, layer), use);
    }
}
