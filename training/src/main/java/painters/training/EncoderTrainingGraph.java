package painters.training;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import painters.model.bert.BertBlocks;
import painters.model.bert.BertEncoder;
import painters.model.bert.BertWeights;
import painters.model.bert.Pooling;
import painters.model.plan.LayerPlan;
import painters.model.plan.PlanGraph;
import painters.model.tokenizer.TokenBatch;

/**
 * A trainable SameDiff graph: a BERT-family encoder run as a layer plan (over its own copy of the
 * pretrained weights), pooling, standardisation with the frozen features' statistics, and a linear
 * head, with a softmax cross-entropy (classification) or squared-error (regression) loss. Only the
 * head and the weights named trainable are variables; everything else is a constant, so gradients
 * are neither computed nor applied there (word embeddings are always constants: M2.1's gather
 * gradient is wrong).
 */
public final class EncoderTrainingGraph extends TrainingGraph {

    public static final String HEAD_W = "head.w";
    public static final String HEAD_B = "head.b";
    static final String LOGITS = "logits";
    public static final String LORA_A = "lora.A/";
    public static final String LORA_B = "lora.B/";

    private final Pooling pooling;
    private final boolean classification;

    private EncoderTrainingGraph(SameDiff sd, java.util.function.Predicate<String> trains, Pooling pooling,
                                 boolean classification) {
        super(sd, trains);
        this.pooling = pooling;
        this.classification = classification;
    }

    /**
     * @param pretrained the model's weights (copied, never changed)
     * @param unfrozen   canonical names of pretrained weights to train (untied copies of their blocks train too)
     * @param mean       frozen features' mean {@code [d]}
     * @param std        frozen features' standard deviation {@code [d]}
     * @param headW      initial head weights over standardised features {@code [d, outputs]}
     * @param headB      initial head bias {@code [1, outputs]}
     */
    public static EncoderTrainingGraph build(BertWeights pretrained, LayerPlan plan, Pooling pooling,
                                             Set<String> unfrozen, boolean untie, boolean classification,
                                             INDArray mean, INDArray std, INDArray headW, INDArray headB) {
        return build(pretrained, plan, pooling, unfrozen, untie, classification, mean, std, headW, headB, null, 0);
    }

    /**
     * As above, with LoRA adapters of rank {@code loraRank} on the weights in {@code loraTargets}
     * (canonical names; their base weights stay frozen): {@code W + B A}, A uniform in +-1/sqrt(in)
     * (seeded), B zero.
     */
    public static EncoderTrainingGraph build(BertWeights pretrained, LayerPlan plan, Pooling pooling,
                                             Set<String> unfrozen, boolean untie, boolean classification,
                                             INDArray mean, INDArray std, INDArray headW, INDArray headB,
                                             Set<String> loraTargets, int loraRank) {
        SameDiff sd = SameDiff.create();
        BertBlocks blocks = new BertBlocks(sd, pretrained.copy());
        if (loraTargets != null && !loraTargets.isEmpty()) {
            if (untie) {
                throw new IllegalArgumentException("LoRA adapters and untied repeats together are not supported");
            }
            java.util.Random rnd = new java.util.Random(loraTargets.size() * 31L + loraRank);
            Map<String, SDVariable> delta = new LinkedHashMap<>();
            blocks.setWeightTransform((name, w) -> {
                if (!loraTargets.contains(name)) {
                    return w;
                }
                return delta.computeIfAbsent(name, k -> {
                    long out = w.getArr().size(0);
                    long in = w.getArr().size(1);
                    double bound = 1.0 / Math.sqrt(in);
                    float[] a = new float[(int) (loraRank * in)];
                    for (int i = 0; i < a.length; i++) {
                        a[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
                    }
                    SDVariable la = sd.var(LORA_A + k, Nd4j.create(a, new long[] {loraRank, in}, 'c'));
                    SDVariable lb = sd.var(LORA_B + k, Nd4j.zeros(DataType.FLOAT, out, loraRank));
                    return w.add(lb.mmul(la));
                });
            });
        }
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
        return new EncoderTrainingGraph(sd, n -> {
            String base = n.startsWith("use") && n.contains("/") ? n.substring(n.indexOf('/') + 1) : n;
            return n.equals(HEAD_W) || n.equals(HEAD_B) || n.startsWith(LORA_A) || n.startsWith(LORA_B)
                    || unfrozen.contains(base);
        }, pooling, classification);
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
