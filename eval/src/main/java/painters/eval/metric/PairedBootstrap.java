package painters.eval.metric;

import java.util.Random;

/**
 * The paired bootstrap: when several plans are scored on the same items, one replicate resamples the item indices
 * once and applies that resample to every plan (the full model included), so a difference, a ratio or a
 * normalised score computed replicate by replicate carries the error of a paired comparison. Two plans with the
 * same predictions on every item get identical replicates, and their difference an error of exactly 0; two plans
 * that disagree on many items get the error of those disagreements, not sqrt(se_a^2 + se_b^2).
 *
 * <p>Draws are seeded by the items' stream name (the task) and {@value #REPLICATES} per stream, so the same items
 * give the same replicates in every run and every process; different tasks are resampled independently.
 */
public final class PairedBootstrap {

    public static final int REPLICATES = 1000;

    private static final long SEED = 0x9A1B_ED00L;

    private PairedBootstrap() {}

    /** {@code [REPLICATES][n]}: the item indices of each replicate for the items of {@code stream} (n items). */
    public static int[][] draws(String stream, int n) {
        Random r = new Random(SEED ^ stableHash(stream) ^ ((long) n << 32));
        int[][] out = new int[REPLICATES][n];
        for (int b = 0; b < REPLICATES; b++) {
            for (int i = 0; i < n; i++) {
                out[b][i] = r.nextInt(n);
            }
        }
        return out;
    }

    /** {@code m} of {@code items} on each replicate's draw. */
    public static Replicates replicates(ItemScores items, Metric m, int[][] draws) {
        double[] v = new double[draws.length];
        for (int b = 0; b < draws.length; b++) {
            if (draws[b].length != items.size()) {
                throw new IllegalArgumentException("draw of " + draws[b].length + " items for " + items.size()
                        + " scored items");
            }
            v[b] = items.value(m, draws[b]);
        }
        return new Replicates(v);
    }

    /**
     * {@value #REPLICATES} independent normal draws with mean 0 and standard deviation {@code sd}, seeded by
     * {@code key}: noise that the items do not carry (a head's seed, a random order's draw) added to replicates;
     * equal keys give equal noise, so two results of the same computation keep a difference of 0.
     */
    public static Replicates noise(String key, double sd) {
        Random r = new Random(SEED ^ stableHash(key) * 31);
        double[] v = new double[REPLICATES];
        for (int b = 0; b < REPLICATES; b++) {
            v[b] = sd * r.nextGaussian();
        }
        return new Replicates(v);
    }

    /** A 64-bit FNV-1a hash of the string's UTF-16 units: stable across JVMs, unlike a seeded hash. */
    static long stableHash(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
