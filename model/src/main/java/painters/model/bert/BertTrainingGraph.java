package painters.model.bert;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import painters.model.UserInputException;
import painters.model.family.EncoderTrainingGraph;
import painters.model.family.Pooling;
import painters.model.graph.GraphWeights;
import painters.model.graph.LoraAdapters;
import painters.model.graph.PlanGraph;
import painters.model.graph.TrainingGraph;
import painters.model.plan.LayerPlan;
import painters.model.tokenizer.TokenBatch;

/**
 * A trainable SameDiff graph: a BERT-family encoder run as a layer plan (over its own copy of the
 * pretrained weights), pooling, standardisation with the frozen features' statistics, and a linear
 * head, with a softmax cross-entropy (classification) or squared-error (regression) loss. Only the
 * head and the weights named trainable are variables; everything else is a constant, so gradients
 * are neither computed nor applied there (word embeddings are always constants: M2.1's gather
 * gradient is wrong).
 */
public final class BertTrainingGraph extends EncoderTrainingGraph {

    public static final String HEAD_W = "head.w";
    public static final String HEAD_B = "head.b";
    static final String LOGITS = "logits";

    private final Pooling pooling;
    private final boolean classification;

    private BertTrainingGraph(SameDiff sd, Predicate<String> trains, int steps, Segments segments,
                              Pooling pooling, boolean classification) {
        super(sd, trains, steps, segments);
        this.pooling = pooling;
        this.classification = classification;
    }

    /**
     * @param pretrained  the model's weights (copied, never changed)
     * @param unfrozen    canonical names of pretrained weights to train (untied copies of their blocks train too)
     * @param untie       give each further use of a repeated block its own copy
     * @param mean        frozen features' mean {@code [d]}
     * @param std         frozen features' standard deviation {@code [d]}
     * @param headW       initial head weights over standardised features {@code [d, outputs]}
     * @param headB       initial head bias {@code [1, outputs]}
     * @param loraTargets canonical names of the weights LoRA adapters wrap (empty: none); their base weights stay frozen
     * @param loraRank    r of the adapters
     * @param loraScale   alpha / r
     */
    public static BertTrainingGraph build(BertWeights pretrained, LayerPlan plan, Pooling pooling,
                                          Set<String> unfrozen, boolean untie, boolean classification,
                                          INDArray mean, INDArray std, INDArray headW, INDArray headB,
                                          Set<String> loraTargets, int loraRank, double loraScale) {
        if (!loraTargets.isEmpty() && untie) {
            throw new UserInputException("LoRA adapters and untied repeats together are not supported");
        }
        LayerPlan flat = plan.flattened();
        int n = flat.steps().size();
        INDArray mean32 = mean.castTo(DataType.FLOAT);
        INDArray std32 = std.castTo(DataType.FLOAT);
        INDArray w32 = headW.castTo(DataType.FLOAT);
        INDArray b32 = headB.castTo(DataType.FLOAT);
        Piece piece = (sd, weights, from, to) -> {
            BertBlocks blocks = new BertBlocks(sd, weights);
            LoraAdapters.install(blocks.weights(), loraTargets, loraRank, loraScale);
            BertBlocks.Inputs in = blocks.placeholders();
            SDVariable x = from == 0 ? blocks.embeddings(in)
                    : TrainingGraph.segmentInput(sd, weights.config().hiddenSize());
            SDVariable out = PlanGraph.segment(sd, flat, blocks.stack(in, untie, flat.steps().subList(0, from)), x,
                    from, to);                                                                    // [B, S, H]
            if (to < n) {
                TrainingGraph.segmentOutput(sd, out);
                return;
            }
            SDVariable pw = sd.placeHolder("pool_weights", DataType.FLOAT, -1, -1);           // [B, S]
            SDVariable pooled = out.mul(sd.expandDims(pw, 2)).sum(1);                         // [B, H]
            SDVariable z = pooled.sub(sd.constant("feature_mean", mean32)).div(sd.constant("feature_std", std32));
            SDVariable w = sd.var(HEAD_W, w32.dup());
            SDVariable b = sd.var(HEAD_B, b32.dup());
            SDVariable logits = sd.identity(LOGITS, z.mmul(w).add(b));
            SDVariable label = sd.placeHolder("label", DataType.FLOAT, -1, headW.size(1));
            if (classification) {
                sd.loss.softmaxCrossEntropy(LOSS, label, logits, null);
            } else {
                sd.loss.meanSquaredError(LOSS, label, logits, null);
            }
            sd.setLossVariables(LOSS);
        };
        SameDiff sd = SameDiff.create();
        piece.build(sd, pretrained.copy(unfrozen), 0, n);
        return new BertTrainingGraph(sd, n2 -> n2.equals(HEAD_W) || n2.equals(HEAD_B) || LoraAdapters.isAdapter(n2)
                || unfrozen.contains(GraphWeights.baseName(n2)), n, (g, from, to, live) -> piece.build(g, pretrained.with(TrainingGraph.pretrainedOnly(live, pretrained.tensors())), from, to),
                pooling, classification);
    }

    /** Steps {@code from .. to-1} of the flattened plan over {@code weights} ({@link TrainingGraph.Segments}). */
    private interface Piece {
        void build(SameDiff sd, BertWeights weights, int from, int to);
    }

    /** Placeholder values of a batch; {@code labels} may be null for prediction. */
    public Map<String, INDArray> feed(TokenBatch batch, INDArray labels) {
        Map<String, INDArray> f = new LinkedHashMap<>(BertEncoder.feed(batch));
        f.put("pool_weights", poolWeights(batch));
        if (labels != null) {
            f.put("label", labels);
        }
        return f;
    }

    private INDArray poolWeights(TokenBatch batch) {
        int b = batch.batchSize();
        int s = batch.seqLength();
        float[] w = new float[b * s];
        for (int r = 0; r < b; r++) {
            int len = batch.length(r);
            if (pooling == Pooling.CLS) {
                w[r * s] = 1f;
            } else {
                for (int i = 0; i < len; i++) {
                    w[r * s + i] = 1f / len;
                }
            }
        }
        return Nd4j.create(w, new long[] {b, s}, 'c');
    }

    /** Head outputs {@code [B, outputs]}. */
    public INDArray logits(Map<String, INDArray> feed) {
        return output(feed, LOGITS);
    }

    public boolean classification() {
        return classification;
    }
}
