package painters.eval.head;

/**
 * Training settings of a linear head on frozen features.
 *
 * @param learningRate Adam learning rate
 * @param epochs       passes over the training features
 * @param batchSize    examples per step
 * @param weightDecay  decoupled (AdamW-style) weight decay, 0 for none
 * @param seed         initialisation and data order
 */
public record HeadConfig(double learningRate, int epochs, int batchSize, double weightDecay, long seed) {

    public HeadConfig {
        if (!(learningRate > 0) || epochs < 1 || batchSize < 1 || weightDecay < 0) {
            throw new IllegalArgumentException("invalid head config: lr " + learningRate + ", epochs " + epochs
                    + ", batch " + batchSize + ", weight decay " + weightDecay);
        }
    }

    /**
     * The paper's frozen-encoder protocol (HF run_glue defaults with only the head trained): lr 3e-2,
     * 3 epochs, batch 32.
     */
    public static HeadConfig paperFrozen(long seed) {
        return new HeadConfig(3e-2, 3, 32, 0.0, seed);
    }
}
