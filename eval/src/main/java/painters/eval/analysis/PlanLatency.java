package painters.eval.analysis;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.UserInputException;
import painters.model.family.HiddenStates;
import painters.model.tokenizer.TokenBatch;

/**
 * The measured latency of a model under a plan: wall time of its plain forward pass over one batch, after
 * warm-up runs, as the median of timed runs with a standard error. On one device a parallel step saves no
 * arithmetic (its blocks run one after another here), only sequential steps a parallel device could overlap;
 * depth is what such a device would give, this is what this machine gives.
 *
 * @param medianMs median wall time of a forward pass, milliseconds
 * @param stderrMs standard error of the mean of the timed runs (their standard deviation / sqrt(runs))
 * @param runs     timed runs
 */
public record PlanLatency(double medianMs, double stderrMs, int runs) {

    /** Times {@code runs} forward passes of {@code model} over {@code batch}, after {@code warmup} untimed ones. */
    public static PlanLatency measure(HiddenStates model, TokenBatch batch, int warmup, int runs) {
        if (runs < 2) {
            throw new UserInputException("latency needs at least 2 timed runs for an error, got " + runs);
        }
        for (int i = 0; i < warmup; i++) {
            free(model.forward(batch));
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            INDArray out = model.forward(batch);
            ms[i] = (System.nanoTime() - t0) / 1e6;
            free(out);
        }
        return of(ms);
    }

    /** The summary of timed runs (milliseconds). */
    public static PlanLatency of(double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        double mean = Arrays.stream(ms).average().orElseThrow();
        double var = Arrays.stream(ms).map(x -> (x - mean) * (x - mean)).sum() / (ms.length - 1);
        return new PlanLatency(median, Math.sqrt(var / ms.length), ms.length);
    }

    private static void free(INDArray a) {
        if (a != null && a.closeable()) {
            a.close();
        }
    }

    /** Texts for a latency batch: {@code batch} copies of a sentence long enough to fill {@code seq} tokens. */
    public static List<String> texts(int batch, int seq) {
        String words = String.join(" ", Collections.nCopies(seq, "painting"));
        return Collections.nCopies(batch, words);
    }
}
