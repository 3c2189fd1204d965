package painters.model.bert;

import static painters.model.bert.BertTensors.*;

import java.util.List;
import java.util.function.IntUnaryOperator;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import painters.model.graph.BlockFactory;
import painters.model.graph.BlockStack;
import painters.model.graph.GraphWeights;
import painters.model.plan.Step;

/**
 * The pieces of a BERT encoder inside one {@link SameDiff} graph: embeddings and blocks addressable
 * by index. Every pretrained tensor becomes one graph variable named as in the checkpoint
 * ({@link GraphWeights}), so a block applied several times reuses (ties) the same weights unless
 * the stack is untied.
 *
 * <p>A block is the post-LN transformer layer of Devlin et al. (2019):
 * <pre>
 *   h = LN(x + Attn(x))        Attn: softmax(Q K^T / sqrt(d_head) + maskBias) V, then a dense
 *   y = LN(h + W2 gelu(W1 h))  gelu(x) = x/2 (1 + erf(x / sqrt 2)), exact
 * </pre>
 * Dense weights keep PyTorch's {@code [out, in]} layout and are applied as {@code x W^T}.
 */
public final class BertBlocks implements BlockFactory<BertBlocks.Inputs> {

    /** Additive bias for masked keys; exp underflows to exactly 0, as with HF's finfo.min. */
    static final double MASK_BIAS = -1e9;

    private final SameDiff sd;
    private final BertConfig c;
    private final GraphWeights vars;

    /** Registers every tensor of {@code weights} as a variable of {@code sd}. */
    public BertBlocks(SameDiff sd, BertWeights weights) {
        this.sd = sd;
        this.c = weights.config();
        this.vars = new GraphWeights(sd, weights.tensors());
    }

    public BertConfig config() {
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
     * Placeholders and the per-batch tensors every block needs. Input ids, token types and positions
     * are INT64 {@code [batch, seq]}; the mask is FLOAT {@code [batch, seq]} (1 real, 0 pad).
     */
    public record Inputs(SDVariable ids, SDVariable typeIds, SDVariable positions, SDVariable mask,
                         SDVariable shapeBSH, SDVariable shapeBSNH, SDVariable maskBias) {}

    /** Creates the placeholders {@code input_ids, token_type_ids, position_ids, attention_mask}. */
    public Inputs placeholders() {
        SDVariable ids = sd.placeHolder("input_ids", DataType.INT64, -1, -1);
        SDVariable types = sd.placeHolder("token_type_ids", DataType.INT64, -1, -1);
        SDVariable pos = sd.placeHolder("position_ids", DataType.INT64, -1, -1);
        SDVariable mask = sd.placeHolder("attention_mask", DataType.FLOAT, -1, -1);
        SDVariable bs = sd.shape(ids).castTo(DataType.INT64);                                   // [B, S]
        SDVariable bsh = sd.concat("shape_bsh", 0, bs,
                sd.constant(Nd4j.createFromArray(new long[] {c.hiddenSize()})));              // [B, S, H]
        SDVariable bsnh = sd.concat("shape_bsnh", 0, bs,
                sd.constant(Nd4j.createFromArray(new long[] {c.numHeads(), c.headSize()})));   // [B, S, nh, hd]
        // [B, S] -> [B, 1, 1, S]: 0 for real keys, MASK_BIAS for padding
        SDVariable bias = mask.rsub(1.0).mul(MASK_BIAS);
        bias = sd.expandDims(sd.expandDims(bias, 1), 1);
        return new Inputs(ids, types, pos, mask, bsh, bsnh, sd.identity("mask_bias", bias));
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
                return BertBlocks.this.block(layer, x, in, uses.applyAsInt(layer));
            }

            @Override
            public SDVariable firstToken(int layer, SDVariable x) {
                return BertBlocks.this.firstToken(layer, x, in, uses.applyAsInt(layer));
            }

            @Override
            public SDVariable merged(int step, List<Integer> layers, SDVariable x) {
                return BertBlocks.this.merged(layers, x, in, uses, false);
            }

            @Override
            public SDVariable mergedFirstToken(List<Integer> layers, SDVariable x) {
                return BertBlocks.this.merged(layers, x, in, uses, true);
            }
        };
    }

    /** Word + position + token-type embeddings, then LayerNorm: {@code [batch, seq, hidden]}. */
    public SDVariable embeddings(Inputs in) {
        SDVariable w = sd.gather(weight(WORD), sd.reshape(in.ids(), -1), 0);              // [B*S, H]
        SDVariable t = sd.gather(weight(TOKEN_TYPE), sd.reshape(in.typeIds(), -1), 0);    // [B*S, H]
        SDVariable p = sd.gather(weight(POSITION), sd.reshape(in.positions(), -1), 0);    // [B*S, H]
        SDVariable e = layerNorm(w.add(t).add(p), weight(EMB_LN_W), weight(EMB_LN_B));
        return sd.reshape(e, in.shapeBSH());                                              // [B, S, H]
    }

    /** Block {@code layer} applied to {@code x}: {@code [batch, seq, hidden] -> [batch, seq, hidden]}. */
    public SDVariable block(int layer, SDVariable x, Inputs in) {
        return block(layer, x, in, 1);
    }

    /** Block {@code layer} with the weights of its {@code use}-th copy (1: the pretrained variables). */
    public SDVariable block(int layer, SDVariable x, Inputs in, int use) {
        return blockOfUse(layer, x, in, use, false);
    }

    /**
     * Block {@code layer}'s output at the first position only, {@code [batch, 1, hidden]}: the query,
     * attention output and feed-forward of that position, keys and values from every position. Equal
     * to position 0 of {@link #block} up to float rounding, at about a sixth of its cost.
     */
    public SDVariable firstToken(int layer, SDVariable x, Inputs in, int use) {
        return blockOfUse(layer, x, in, use, true);
    }

    private int use = 1;
    /** While a merge step is built: its blocks and the copy of each it reads (null otherwise). */
    private List<Integer> merging;
    private int[] mergeUses;

    /** One block whose every tensor is the mean of {@code layers}' ({@link GraphWeights#mean}). */
    private SDVariable merged(List<Integer> layers, SDVariable x, Inputs in, IntUnaryOperator uses, boolean firstOnly) {
        merging = layers;
        mergeUses = GraphWeights.copies(uses, layers);
        try {
            return blockOfCurrentUse(layers.get(0), x, in, firstOnly);
        } finally {
            merging = null;
            mergeUses = null;
        }
    }

    private SDVariable blockOfUse(int layer, SDVariable x, Inputs in, int use, boolean firstOnly) {
        this.use = use;
        try {
            return blockOfCurrentUse(layer, x, in, firstOnly);
        } finally {
            this.use = 1;
        }
    }

    /** With {@code firstOnly}, Q = 1 query position (the first), else Q = S. */
    private SDVariable blockOfCurrentUse(int layer, SDVariable x, Inputs in, boolean firstOnly) {
        if (layer < 0 || layer >= c.numLayers()) {
            throw new IndexOutOfBoundsException("block " + layer + " outside 0.." + (c.numLayers() - 1));
        }
        SDVariable x2 = sd.reshape(x, -1, c.hiddenSize());                                // [B*S, H]
        SDVariable xq = firstOnly                                                          // [B*Q, H]
                ? sd.reshape(x.get(SDIndex.all(), SDIndex.interval(0, 1), SDIndex.all()), -1, c.hiddenSize()) : x2;
        SDVariable attn = attention(layer, xq, x2, in, firstOnly);                         // [B*Q, H]
        SDVariable h = layerNorm(xq.add(attn), w(layer, ATT_LN_W), w(layer, ATT_LN_B));
        SDVariable ff = dense(gelu(dense(h, w(layer, MLP_IN_W), w(layer, MLP_IN_B))),
                w(layer, MLP_OUT_W), w(layer, MLP_OUT_B));                                 // [B*Q, H]
        SDVariable y = layerNorm(h.add(ff), w(layer, MLP_LN_W), w(layer, MLP_LN_B));
        return firstOnly ? sd.reshape(y, -1, 1, c.hiddenSize())                           // [B, 1, H]
                : sd.reshape(y, in.shapeBSH());                                           // [B, S, H]
    }

    private SDVariable attention(int layer, SDVariable xq, SDVariable x2, Inputs in, boolean firstOnly) {
        // 1/sqrt(d_head) folded into the query projection: scaling [H, H] weights, not [B, nh, S, S] scores
        double scale = 1.0 / Math.sqrt(c.headSize());
        SDVariable qFlat = dense(xq, w(layer, Q_W).mul(scale), w(layer, Q_B).mul(scale));  // [B*Q, H]
        SDVariable q = firstOnly ? sd.permute(sd.reshape(qFlat, -1, 1, c.numHeads(), c.headSize()), 0, 2, 1, 3)
                : heads(qFlat, in);                                                       // [B, nh, Q, hd]
        SDVariable k = heads(dense(x2, w(layer, K_W), w(layer, K_B)), in);                // [B, nh, S, hd]
        SDVariable v = heads(dense(x2, w(layer, V_W), w(layer, V_B)), in);
        SDVariable scores = sd.mmul(q, k, false, true, false).add(in.maskBias());        // [B, nh, Q, S]
        SDVariable probs = sd.nn.softmax(scores, 3);
        SDVariable ctx = sd.mmul(probs, v);                                               // [B, nh, Q, hd]
        SDVariable merged = sd.reshape(sd.permute(ctx, 0, 2, 1, 3), -1, c.hiddenSize()); // [B*Q, H]
        return dense(merged, w(layer, ATT_OUT_W), w(layer, ATT_OUT_B));
    }

    /** {@code [B*S, H] -> [B, nh, S, hd]}. */
    private SDVariable heads(SDVariable x2, Inputs in) {
        return sd.permute(sd.reshape(x2, in.shapeBSNH()), 0, 2, 1, 3);
    }

    /** {@code x W^T + b} with W in PyTorch's [out, in] layout. */
    private SDVariable dense(SDVariable x, SDVariable w, SDVariable b) {
        return sd.mmul(x, w, false, true, false).add(b);
    }

    /** Exact GELU, 0.5 x (1 + erf(x / sqrt 2)); SameDiff's gelu/preciseGelu are approximations. */
    private SDVariable gelu(SDVariable x) {
        return x.mul(sd.math.erf(x.div(Math.sqrt(2.0))).add(1.0)).mul(0.5);
    }

    /**
     * LayerNorm over the last axis of a 2-D input with the config's epsilon. (ND4J's fused
     * {@code layer_norm} was 2x slower than these passes on [4096, 384] and fixes epsilon at 1e-12.)
     */
    private SDVariable layerNorm(SDVariable x, SDVariable gamma, SDVariable beta) {
        SDVariable centred = x.sub(x.mean(true, 1));
        SDVariable var = sd.math.square(centred).mean(true, 1);
        return centred.div(sd.math.sqrt(var.add(c.layerNormEps()))).mul(gamma).add(beta);
    }

    private SDVariable w(int layer, String suffix) {
        if (merging != null) {
            return vars.mean(merging.stream().map(l -> layer(l, suffix)).toList(), mergeUses);
        }
        return vars.block(layer(layer, suffix), use);
    }
}
