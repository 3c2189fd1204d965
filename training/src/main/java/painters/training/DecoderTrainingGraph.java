package painters.training;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import painters.model.llama.DecoderBatch;
import painters.model.llama.LlamaBlocks;
import painters.model.llama.LlamaDecoder;
import painters.model.llama.LlamaWeights;
import painters.model.plan.LayerPlan;
import painters.model.plan.PlanGraph;

/**
 * A trainable Llama-family decoder run as a layer plan (over its own copy of the weights) with the
 * causal language-modelling loss: mean cross-entropy of every next token over the real positions.
 * Targets are fed one-hot ({@code [B*S, vocab]}) with a per-position weight (0 at padding and at the
 * last position), which costs {@code B*S*vocab} floats: fine for small vocabularies and batches,
 * not for a 32k-vocabulary 7B model at long contexts.
 */
public final class DecoderTrainingGraph extends TrainingGraph {

    private final int vocab;

    private DecoderTrainingGraph(SameDiff sd, java.util.function.Predicate<String> trains, int vocab) {
        super(sd, trains);
        this.vocab = vocab;
    }

    /** @param unfrozen canonical names of the pretrained weights to train */
    public static DecoderTrainingGraph build(LlamaWeights pretrained, LayerPlan plan, Set<String> unfrozen) {
        SameDiff sd = SameDiff.create();
        LlamaBlocks blocks = new LlamaBlocks(sd, pretrained.copy());
        LlamaBlocks.Inputs in = blocks.placeholders(false);
        PlanGraph.Built built = PlanGraph.build(sd, plan, blocks.stack(in), blocks.embeddings(in));
        int v = pretrained.config().vocabSize();
        SDVariable logits = sd.identity(LlamaDecoder.LOGITS, blocks.logits(built.output(), in));
        SDVariable flat = sd.reshape(logits, -1, v);
        SDVariable targets = sd.placeHolder("targets", DataType.FLOAT, -1, v);
        SDVariable weights = sd.placeHolder("target_weights", DataType.FLOAT, -1);
        // mean over weighted positions of -log softmax(logits)[target], written out: in M2.1 the weighted
        // softmax cross-entropy gradient fails validation and logSoftmax(x, dim) cannot be differentiated
        SDVariable max = flat.max(true, 1);
        SDVariable shifted = flat.sub(max);
        SDVariable logp = shifted.sub(sd.math.log(sd.math.exp(shifted).sum(true, 1)));         // [B*S, V]
        SDVariable nll = logp.mul(targets).sum(1).neg();                                          // [B*S]
        sd.identity(LOSS, nll.mul(weights).sum().div(weights.sum()));
        sd.setLossVariables(LOSS);
        return new DecoderTrainingGraph(sd, unfrozen::contains, v);
    }

    /**
     * Placeholders for sequences trained to predict each next token: position i's target is token
     * i+1 of its row; the last position and padding carry weight 0.
     */
    public Map<String, INDArray> feed(List<int[]> seqs) {
        DecoderBatch b = DecoderBatch.rightPadded(seqs, 0);
        int rows = seqs.size();
        int s = b.length();
        float[] onehot = new float[rows * s * vocab];
        float[] w = new float[rows * s];
        for (int r = 0; r < rows; r++) {
            int[] q = seqs.get(r);
            for (int i = 0; i + 1 < q.length; i++) {
                onehot[(r * s + i) * vocab + q[i + 1]] = 1f;
                w[r * s + i] = 1f;
            }
        }
        Map<String, INDArray> f = new java.util.LinkedHashMap<>(b.feed());
        f.put("targets", Nd4j.create(onehot, new long[] {(long) rows * s, vocab}, 'c'));
        f.put("target_weights", Nd4j.create(w, new long[] {(long) rows * s}, 'c'));
        return f;
    }

    /** Sum of next-token log-likelihoods and the number of predicted tokens, for held-out perplexity. */
    public double[] logLikelihood(List<int[]> seqs) {
        INDArray logits = output(DecoderBatch.rightPadded(seqs, 0).feed(), LlamaDecoder.LOGITS);
        double sum = 0;
        long n = 0;
        for (painters.eval.lm.LanguageModel.LogLikelihood l : painters.eval.lm.DecoderLm.nextTokens(logits, seqs)) {
            sum += l.logProb();
            n += l.tokens();
        }
        return new double[] {sum, n};
    }
}
