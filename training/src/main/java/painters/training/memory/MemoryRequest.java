package painters.training.memory;

import java.util.Locale;
import painters.model.UserInputException;
import painters.model.family.Architecture;
import painters.model.plan.LayerPlan;
import painters.model.plan.Split;
import painters.model.weights.Precision;
import painters.training.UnfreezePolicy;

/**
 * A workload to plan memory for.
 *
 * @param architecture the model, from its configuration
 * @param plan         the layer plan it runs
 * @param split        the plan's split (for the {@code middle} and {@code adjacent} policies), or null
 * @param workload     frozen evaluation, fine-tuning or generation
 * @param policy       what fine-tuning trains (TRAIN only; null otherwise)
 * @param weights      the precision frozen weights are held in (trainable weights, adapters, gradients and
 *                     optimizer state are fp32)
 * @param compute      the precision activations are computed in
 * @param batch        sequences per batch
 * @param seq          tokens per sequence (GENERATE: context length the KV cache holds)
 * @param classes      outputs of a task head that fine-tuning adds (encoders)
 */
public record MemoryRequest(Architecture architecture, LayerPlan plan, Split split, Workload workload,
        UnfreezePolicy policy, Precision weights, Precision compute, int batch, int seq, int classes) {

    /** What the memory is for. */
    public enum Workload {
        /** Frozen forward passes (scoring, features). */
        EVAL,
        /** Fine-tuning steps with AdamW under an unfreeze policy. */
        TRAIN,
        /** Token-by-token generation with a key/value cache of {@code seq} positions. */
        GENERATE;

        public static Workload parse(String text) {
            try {
                return valueOf(text.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UserInputException("unknown workload \"" + text + "\" (known: eval, train, generate)");
            }
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public MemoryRequest {
        if (architecture == null || plan == null || workload == null || weights == null || compute == null) {
            throw new UserInputException("architecture, plan, workload and precisions are required");
        }
        if (plan.numLayers() != architecture.numLayers()) {
            throw new UserInputException("the plan is for " + plan.numLayers() + " blocks, the model has "
                    + architecture.numLayers());
        }
        if (workload == Workload.TRAIN && policy == null) {
            throw new UserInputException("fine-tuning needs an unfreeze policy");
        }
        if (workload != Workload.TRAIN) {
            policy = null;
        }
        if (batch < 1 || seq < 1) {
            throw new UserInputException("batch and sequence length must be >= 1, got " + batch + " x " + seq);
        }
        if (seq > architecture.maxPositions()) {
            throw new UserInputException("--seq " + seq + ": " + architecture.source() + " takes at most "
                    + architecture.maxPositions() + " positions per sequence");
        }
        if (classes < 1) {
            throw new UserInputException("classes must be >= 1, got " + classes);
        }
    }
}
