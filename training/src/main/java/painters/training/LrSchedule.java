package painters.training;

import painters.model.UserInputException;

/**
 * Learning rate per optimizer step: linear warm-up from 0 over {@code warmup} steps, then linear decay
 * to 0 at {@code total}, cosine decay to 0, or constant (HF's get_{linear,cosine,constant}_schedule_with_warmup,
 * so step 0 runs at lr 0 when there is a warm-up).
 */
public record LrSchedule(double peak, int warmup, int total, String shape) {

    public LrSchedule {
        if (!(peak > 0) || warmup < 0 || total < 1 || warmup > total) {
            throw new UserInputException("bad schedule: lr " + peak + ", warmup " + warmup + ", total " + total);
        }
        if (!shape.equals("linear") && !shape.equals("cosine") && !shape.equals("constant")) {
            throw new UserInputException("schedule \"" + shape + "\" is not linear, cosine or constant");
        }
    }

    /** The learning rate of 0-based optimizer step {@code step}. */
    public double at(int step) {
        if (step < warmup) {
            return peak * step / Math.max(1, warmup);
        }
        if (shape.equals("constant")) {
            return peak;
        }
        double progress = (double) (step - warmup) / Math.max(1, total - warmup);
        if (shape.equals("linear")) {
            return peak * Math.max(0.0, 1.0 - progress);
        }
        return peak * Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * progress)));
    }
}
