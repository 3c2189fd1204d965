package painters.training;

import java.util.List;

/**
 * What a language model that ignores its context can score: the mean held-out log-likelihood per token of the training
 * windows' next-token frequencies with add-one smoothing, {@code ln((count(t) + 1) / (N + V))}, over the same targets
 * the held-out curve scores (every window's tokens after its first). A model whose held-out score is near it has
 * learned the token frequencies and nothing of the context.
 */
public final class UnigramBaseline {

    private UnigramBaseline() {}

    /**
     * @param train   the training windows (their tokens after the first are counted)
     * @param heldOut the held-out windows (their tokens after the first are scored)
     * @param vocab   the vocabulary size V
     */
    public static double heldOutLogLikelihood(List<int[]> train, List<int[]> heldOut, int vocab) {
        long[] count = new long[vocab];
        long n = 0;
        for (int[] w : train) {
            for (int i = 1; i < w.length; i++) {
                count[id(w[i], vocab)]++;
                n++;
            }
        }
        double ll = 0;
        long m = 0;
        for (int[] w : heldOut) {
            for (int i = 1; i < w.length; i++) {
                ll += Math.log((count[id(w[i], vocab)] + 1.0) / (n + vocab));
                m++;
            }
        }
        return m == 0 ? Double.NaN : ll / m;
    }

    private static int id(int t, int vocab) {
        if (t < 0 || t >= vocab) {
            throw new IllegalStateException("token id " + t + " outside the vocabulary of " + vocab);
        }
        return t;
    }
}
