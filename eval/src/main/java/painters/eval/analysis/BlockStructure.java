package painters.eval.analysis;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Whether a states x states similarity matrix has blocks (the paper's claim 1: a first, a middle and a last group
 * of layers, the middle ones mutually similar), as opposed to similarity that only decays with layer distance.
 * A segmentation into three contiguous blocks of states (first {@code [0, a)}, middle {@code [a, b)} with at least
 * {@value #MIN_MIDDLE} states, last {@code [b, n)}) is scored by its <em>contrast</em>: for each layer distance d,
 * the mean similarity of pairs d apart inside one block minus that of pairs d apart that cross a boundary, averaged
 * over the distances that have both. Comparing pairs at equal distance cancels any decay with distance: a matrix
 * whose entries depend on |i - j| alone (exp(-|i-j|/tau), 1 - c|i-j|) has contrast exactly 0 for every
 * segmentation; a block matrix has a large one. The fit is the segmentation of largest contrast; its standard error
 * comes from a bootstrap over the examples the mean matrix averages (the segmentation refitted in every replicate,
 * so the choice of blocks is part of the error).
 */
public final class BlockStructure {

    public static final int MIN_MIDDLE = 3;

    public static final int REPLICATES = 1000;

    private static final long SEED = 0xB10C_5EEDL;

    /**
     * The best segmentation.
     *
     * @param middleStart first state of the middle block (a)
     * @param lastStart   first state of the last block (b)
     * @param contrast    its contrast (similarity units)
     * @param se          standard error of the contrast over examples, NaN without per-example matrices
     */
    public record Fit(int middleStart, int lastStart, double contrast, double se) {}

    private BlockStructure() {}

    /** The best segmentation of {@code m}, without an error. */
    public static Fit fit(double[][] m) {
        int n = m.length;
        if (n < MIN_MIDDLE + 2) {
            throw new IllegalArgumentException(n + " states: blocks need at least " + (MIN_MIDDLE + 2));
        }
        Fit best = null;
        for (int a = 1; a < n; a++) {
            for (int b = a + MIN_MIDDLE; b < n; b++) {
                double c = contrast(m, a, b);
                if (best == null || c > best.contrast()) {
                    best = new Fit(a, b, c, Double.NaN);
                }
            }
        }
        return best;
    }

    /**
     * The best segmentation of the mean of {@code examples} (each a states x states matrix) with the standard error
     * of its contrast: {@value #REPLICATES} seeded resamples of the examples, refitted each time.
     */
    public static Fit fit(List<double[][]> examples) {
        if (examples.size() < 2) {
            throw new IllegalArgumentException("need at least 2 examples, got " + examples.size());
        }
        Fit point = fit(mean(examples, null));
        Random r = new Random(SEED);
        int k = examples.size();
        double[] cs = new double[REPLICATES];
        int[] idx = new int[k];
        for (int rep = 0; rep < REPLICATES; rep++) {
            for (int i = 0; i < k; i++) {
                idx[i] = r.nextInt(k);
            }
            cs[rep] = fit(mean(examples, idx)).contrast();
        }
        double mu = Arrays.stream(cs).average().orElseThrow();
        double se = Math.sqrt(Arrays.stream(cs).map(x -> (x - mu) * (x - mu)).sum() / (REPLICATES - 1));
        return new Fit(point.middleStart(), point.lastStart(), point.contrast(), se);
    }

    /** The contrast of the segmentation first {@code [0, a)}, middle {@code [a, b)}, last {@code [b, n)}. */
    public static double contrast(double[][] m, int a, int b) {
        int n = m.length;
        double sum = 0;
        int distances = 0;
        for (int d = 1; d < n; d++) {
            double in = 0;
            double across = 0;
            int nIn = 0;
            int nAcross = 0;
            for (int i = 0; i + d < n; i++) {
                double v = (m[i][i + d] + m[i + d][i]) / 2;
                if (block(i, a, b) == block(i + d, a, b)) {
                    in += v;
                    nIn++;
                } else {
                    across += v;
                    nAcross++;
                }
            }
            if (nIn > 0 && nAcross > 0) {
                sum += in / nIn - across / nAcross;
                distances++;
            }
        }
        return distances == 0 ? 0 : sum / distances;
    }

    private static int block(int i, int a, int b) {
        return i < a ? 0 : i < b ? 1 : 2;
    }

    private static double[][] mean(List<double[][]> xs, int[] idx) {
        int n = xs.get(0).length;
        double[][] m = new double[n][n];
        int k = idx == null ? xs.size() : idx.length;
        for (int e = 0; e < k; e++) {
            double[][] x = xs.get(idx == null ? e : idx[e]);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    m[i][j] += x[i][j] / k;
                }
            }
        }
        return m;
    }
}
