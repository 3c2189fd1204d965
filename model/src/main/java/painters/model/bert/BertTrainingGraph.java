package painters.model.bert;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
public final class BertTrainingGraph extends TrainingGraph {

    public static final String HEAD_W = "head.w";
    public static final String HEAD_B = "head.b";
    static final String LOGITS = "logits";

    private final Pooling pooling;
    private final boolean classification;

    private BertTrainingGraph(SameDiff sd, java.util.function.Predicate<String> trains, Pooling pooling,
                                 boolean classification) {
        super(sd, trains);
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
        SameDiff sd = SameDiff.create();
        BertBlocks blocks = new BertBlocks(sd, pretrained.copy(unfrozen));
        if (!loraTargets.isEmpty() && untie) {
            throw new IllegalArgumentException("LoRA adapters and untied repeats together are not supported");
        }
        LoraAdapters.install(blocks.weights(), loraTargets, loraRank, loraScale);
        BertBlocks.Inputs in = blocks.placeholders();
        PlanGraph.Built built = PlanGraph.build(sd, plan, blocks.stack(in, untie), blocks.embeddings(in));
        SDVariable last = built.output();                                                      // [B, S, H]
        SDVariable pw = sd.placeHolder("pool_weights", DataType.FLOAT, -1, -1);               // [B, S]
        SDVariable pooled = last.mul(sd.expandDims(pw, 2)).sum(1);                            // [B, H]
        SDVariable z = pooled.sub(sd.constant("feature_mean", mean.castTo(DataType.FLOAT)))
                .div(sd.constant("feature_std", std.castTo(DataType.FLOAT)));
        SDVariable w = sd.var(HEAD_W, headW.castTo(DataType.FLOAT).dup());
        SDVariable b = sd.var(HEAD_B, headB.castTo(DataType.FLOAT).dup());
        SDVariable logits = sd.identity(LOGITS, z.mmul(w).add(b));
        SDVariable label = sd.placeHolder("label", DataType.FLOAT, -1, headW.size(1));
        if (classification) {
            sd.loss.softmaxCrossEntropy(LOSS, label, logits, null);
        } else {
            sd.loss.meanSquaredError(LOSS, label, logits, null);
        }
        sd.setLossVariables(LOSS);
        return new BertTrainingGraph(sd, n -> n.equals(HEAD_W) || n.equals(HEAD_B) || LoraAdapters.isAdapter(n)
                || unfrozen.contains(GraphWeights.baseName(n)), pooling, classification);
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
