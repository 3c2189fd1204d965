package painters.eval.analysis;

import java.util.List;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import painters.model.tokenizer.TokenBatch;

/**
 * Runs batches through a model's hidden states once and feeds the four analyses. Works for any
 * model family: it only needs a function from a batch to its states in order.
 */
public final class StateAnalysis {

    private static final Logger log = LoggerFactory.getLogger(StateAnalysis.class);

    /**
     * @param labels         one label per state (e.g. "0".."11", "final")
     * @param cosine         mean cosine similarity, states x states
     * @param blockInfluence BI of the step between state i and i+1
     * @param angular        d[l][k]: angular distance between state l and l+k
     * @param token          the token the angular distance is measured at
     * @param examples       texts analysed
     * @param tokens         real tokens analysed
     * @param cosineExamples each example's cosine matrix (the mean is {@code cosine})
     * @param tokenSimilarity per state, the mean cosine between two tokens of a text, with its error
     */
    public record Result(List<String> labels, double[][] cosine, double[] blockInfluence, double[][] angular,
                         AngularDistance.Token token, long examples, long tokens, List<double[][]> cosineExamples,
                         TokenSimilarity.Summary tokenSimilarity) {}

    private StateAnalysis() {}

    public static Result run(List<TokenBatch> batches, Function<TokenBatch, List<INDArray>> states, List<String> labels,
                             AngularDistance.Token token) {
        int n = labels.size();
        CosineSimilarityMatrix cos = new CosineSimilarityMatrix(n);
        BlockInfluence bi = new BlockInfluence(n);
        AngularDistance ang = new AngularDistance(n, token);
        TokenSimilarity sim = new TokenSimilarity(n);
        long tokens = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < batches.size(); i++) {
            TokenBatch b = batches.get(i);
            List<INDArray> s = states.apply(b);
            INDArray mask = b.maskArray();
            cos.add(s, mask);
            bi.add(s, mask);
            ang.add(s, mask);
            sim.add(s, mask);
            tokens += b.tokenCount();
            double el = (System.nanoTime() - t0) / 1e9;
            log.info("analysis: batch {}/{} ({} texts), {} s elapsed, ETA {} s", i + 1, batches.size(), cos.examples(),
                    String.format("%.0f", el), String.format("%.0f", el / (i + 1) * (batches.size() - i - 1)));
        }
        return new Result(List.copyOf(labels), cos.result(), bi.result(), ang.result(), token, cos.examples(), tokens,
                cos.perExample(), sim.summary());
    }
}
