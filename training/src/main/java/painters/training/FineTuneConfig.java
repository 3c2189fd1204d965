package painters.training;

import painters.model.UserInputException;

/**
 * Settings of one fine-tuning run.
 *
 * @param learningRate     peak learning rate
 * @param warmupSteps      linear warm-up steps
 * @param schedule         after warm-up: linear (to 0 at the last step), cosine or constant
 * @param steps            optimizer steps
 * @param batchSize        examples per micro-batch
 * @param gradAccum        micro-batches per optimizer step (effective batch = batchSize x gradAccum)
 * @param clipNorm         global gradient-norm clipping (0: off)
 * @param weightDecay      AdamW decoupled weight decay, on matrices only (not norms or biases)
 * @param seed             data order (a fresh seeded permutation every epoch)
 * @param evalEvery        evaluate on the held-out split every this many steps (and at 0 and the end)
 * @param target           stop early once the primary score reaches this (NaN: never)
 * @param checkpointEvery  write a checkpoint every this many steps (0: only at the end)
 * @param untie            give each use of a repeated block its own trainable copy
 * @param policy           which pretrained weights train
 * @param trainMax         cap on training examples (seeded subsample; 0: all)
 * @param maxLength        tokens per input
 * @param gradients        how a step's gradients are computed (recomputation at each executed step, the default;
 *                         or the whole graph at once: faster, more memory)
 */
public record FineTuneConfig(double learningRate, int warmupSteps, String schedule, int steps, int batchSize,
                             int gradAccum, double clipNorm, double weightDecay, long seed, int evalEvery,
                             double target, int checkpointEvery, boolean untie, UnfreezePolicy policy, int trainMax,
                             int maxLength, painters.model.graph.Gradients gradients) {

    /** With gradients by recomputation (the default). */
    public FineTuneConfig(double learningRate, int warmupSteps, String schedule, int steps, int batchSize,
                          int gradAccum, double clipNorm, double weightDecay, long seed, int evalEvery,
                          double target, int checkpointEvery, boolean untie, UnfreezePolicy policy, int trainMax,
                          int maxLength) {
        this(learningRate, warmupSteps, schedule, steps, batchSize, gradAccum, clipNorm, weightDecay, seed, evalEvery,
                target, checkpointEvery, untie, policy, trainMax, maxLength, painters.model.graph.Gradients.RECOMPUTED);
    }

    public FineTuneConfig {
        atLeast(steps, 1, "steps", "--steps", "steps");
        atLeast(batchSize, 1, "batch size", "--batch-size", "batchSize");
        atLeast(gradAccum, 1, "gradient accumulation", "--grad-accum", "gradAccum");
        atLeast(evalEvery, 1, "evaluation period", "--eval-every", "evalEvery");
        atLeast(checkpointEvery, 0, "checkpoint period", "--checkpoint-every", "checkpointEvery");
        atLeast(trainMax, 0, "training examples cap", "--train-max", "trainMax");
        atLeast(maxLength, 2, "maximum length", "--max-length", "maxLength");
        atLeast(warmupSteps, 0, "warm-up steps", "--warmup", "warmupSteps");
        if (warmupSteps > steps) {
            throw new UserInputException("warm-up steps (--warmup, finetune.warmupSteps) must be at most the steps ("
                    + steps + "), got " + warmupSteps);
        }
        positive(learningRate, false, "learning rate", "--lr", "learningRate");
        positive(clipNorm, true, "gradient clipping norm", "--clip", "clipNorm");
        positive(weightDecay, true, "weight decay", "--weight-decay", "weightDecay");
        new LrSchedule(learningRate, warmupSteps, steps, schedule);       // validates
        if (gradients == null) {
            throw new UserInputException("bad fine-tuning config: no gradient method");
        }
    }

    /** Defaults for a short recovery run of a BERT-sized encoder: AdamW 5e-5, 10% warm-up, linear decay. */
    public static FineTuneConfig defaults(UnfreezePolicy policy, int steps) {
        return new FineTuneConfig(5e-5, steps / 10, "linear", steps, 32, 1, 1.0, 0.01, 0, Math.max(1, steps / 10),
                Double.NaN, 0, false, policy, 0, 128);
    }

    public LrSchedule lrSchedule() {
        return new LrSchedule(learningRate, warmupSteps, steps, schedule);
    }

    private static void atLeast(int v, int min, String what, String flag, String key) {
        if (v < min) {
            throw new UserInputException(what + " (" + flag + ", finetune." + key + ") must be at least " + min + ", got "
                    + v);
        }
    }

    /** {@code v} finite and > 0 (or >= 0 where {@code zeroOk}). */
    private static void positive(double v, boolean zeroOk, String what, String flag, String key) {
        if (!Double.isFinite(v) || v < 0 || (v == 0 && !zeroOk)) {
            throw new UserInputException(what + " (" + flag + ", finetune." + key + ") must be " + (zeroOk ? ">= 0" : "> 0")
                    + " and finite, got " + v);
        }
    }

    /** A copy with another number of steps (warm-up and evaluation scaled only if the caller says). */
    public FineTuneConfig withSteps(int newSteps) {
        return new FineTuneConfig(learningRate, Math.min(warmupSteps, newSteps), schedule, newSteps, batchSize, gradAccum,
                clipNorm, weightDecay, seed, evalEvery, target, checkpointEvery, untie, policy, trainMax, maxLength,
                gradients);
    }

    /** A copy whose steps compute their gradients {@code how}. */
    public FineTuneConfig withGradients(painters.model.graph.Gradients how) {
        return new FineTuneConfig(learningRate, warmupSteps, schedule, steps, batchSize, gradAccum, clipNorm, weightDecay,
                seed, evalEvery, target, checkpointEvery, untie, policy, trainMax, maxLength, how);
    }
}
