package painters.eval.head;

import org.nd4j.linalg.schedule.ISchedule;
import painters.model.UserInputException;

/**
 * A learning rate decaying linearly from {@code initial} at step 0 to 0 at step {@code steps} (HF
 * run_glue's default schedule): {@code initial * (1 - step / steps)}, 0 from {@code steps} on.
 *
 * <p>Not ND4J's {@code PolySchedule}: in DL4J 1.0.0-M2.1 it computes {@code initial * (1 + step /
 * maxIter)^power}, so with power 1 the rate rises from {@code initial} to twice it. Until this class
 * replaced it, that is what the heads trained with (the results of that schedule carry the protocol
 * name without "decay to 0" and are not resumed into).
 */
public record LinearDecay(double initial, int steps) implements ISchedule {

    public LinearDecay {
        if (!(initial > 0) || steps < 1) {
            throw new UserInputException("linear decay needs a positive rate and >= 1 step, got " + initial + ", "
                    + steps);
        }
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        return iteration >= steps ? 0 : initial * (1 - iteration / (double) steps);
    }

    @Override
    public ISchedule clone() {
        return this;        // immutable
    }
}
