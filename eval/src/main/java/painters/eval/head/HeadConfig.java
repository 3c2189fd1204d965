package painters.eval.head;

/**
 * Training settings of a linear head on frozen features.
 *
 * @param learningRate Adam learning rate
 * @param epochs       passes over the training features (at least; see minSteps)
 * @param batchSize    examples per step
 * @param weightDecay  decoupled (AdamW-style) weight decay, 0 for none
 * @param seed         data order
 * @param minSteps     at least this many optimiser steps, more epochs if needed: 3 epochs of a 220-example
 *                     fold are only 21 steps, too few for the head to converge
 */
public record HeadConfig(double learningRate, int epochs, int batchSize, double weightDecay, long seed, int minSteps) {

    public HeadConfig {
        if (!(learningRate > 0) || epochs < 1 || batchSize < 1 || weightDecay < 0 || minSteps < 0) {
            throw new IllegalArgumentException("invalid head config: lr " + learningRate + ", epochs " + epochs
                    + ", batch " + batchSize + ", weight decay " + weightDecay);
        }
    }

    /**
     * The paper's frozen-encoder protocol (HF run_glue defaults with only the head trained): lr 3e-2,
     * 3 epochs, batch 32; here with at least 200 steps so small (dev-only, cross-validated) tasks converge.
     */
    public static HeadConfig paperFrozen(long seed) {
        return new HeadConfig(3e-2, 3, 32, 0.0, seed, 200);
    }

    /** Epochs actually run for {@code n} training examples. */
    public int epochsFor(long n) {
        long perEpoch = (n + batchSize - 1) / batchSize;
        return (int) Math.max(epochs, (minSteps + perEpoch - 1) / perEpoch);
    }
}
