package painters.study;

/**
 * The rule every verdict of every study kind follows: an ordering between two estimates counts only when their
 * difference exceeds {@link #Z} standard errors of the difference (about 95% for normal errors): paired, from the
 * bootstrap replicates, when both are scored on the same items with their per-item outputs kept; otherwise
 * sqrt(se_a^2 + se_b^2). Within that the two are indistinguishable at this sample size. And a score is normalised
 * against chance and the full model only where the full model is clearly above chance ({@link #Z_ABOVE_CHANCE}).
 */
public final class NoiseRule {

    /** Standard errors of a difference beyond which an ordering counts. */
    public static final double Z = 2;

    /**
     * A task enters normalised scores only when the full model is clearly above chance: at least this many of its
     * standard errors (dividing by a (full - chance) that is mostly noise amplifies the noise: frozen BGE on
     * wn-bshift, 0.585 vs 0.5 with a standard error of 0.025, swings normalised scores by +-0.3).
     */
    public static final double Z_ABOVE_CHANCE = 3;

    /** The chance rule's fallback margin for results without standard errors (rows written before they were recorded). */
    public static final double MIN_ABOVE_CHANCE = 0.05;

    private NoiseRule() {}
}
