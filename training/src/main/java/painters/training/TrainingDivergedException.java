package painters.training;

/**
 * Training diverged: a loss or gradient became NaN or infinite, or the loss exploded (see
 * {@link TrainingLoop#EXPLODED}); the last good checkpoint is kept.
 */
public final class TrainingDivergedException extends RuntimeException {

    public TrainingDivergedException(String message) {
        super(message);
    }
}
