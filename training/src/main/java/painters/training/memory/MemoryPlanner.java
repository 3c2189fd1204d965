package painters.training.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import painters.model.UserInputException;
import painters.model.family.ActivationCounts;
import painters.model.family.Architecture;
import painters.model.plan.LayerPlan;
import painters.model.plan.Step;
import painters.model.weights.Precision;
import painters.model.weights.TensorSpec;
import painters.training.UnfreezePolicy;
import painters.training.memory.MemoryRequest.Workload;

/**
 * Estimates the memory of a workload from the model's configuration, the plan and the policy, component
 * by component:
 * <ul>
 * <li><b>weights</b>: frozen tensors in the chosen weight precision; trainable tensors in fp32 (plus a
 *     copy in the compute precision when that is half); LoRA adapters r (in + out) per adapted matrix and
 *     an encoder's task head (inputs x classes + classes), fp32;</li>
 * <li><b>gradients</b> (fp32, one per trained value) and <b>AdamW state</b> (two fp32 moments);</li>
 * <li><b>saved states</b> (training): gradients are computed by recomputation at the plan's executed steps
 *     ({@link painters.model.graph.TrainingGraph}), so the forward pass keeps only the residual state entering
 *     each step; <b>one step's activations</b>: the step being differentiated recomputes its block
 *     applications' op outputs ({@link ActivationCounts#savedPerToken(int)} per token, in the compute precision;
 *     a parallel step holds all of its blocks') and their <b>gradients</b>, as many again;</li>
 * <li><b>working set</b> (evaluation): one block application's op outputs and two residual states;</li>
 * <li><b>outputs</b>: the values after the blocks per token (a language model's logits) in fp32: logits
 *     and log-probabilities, and their gradient when training;</li>
 * <li><b>KV cache</b> (generation): keys and values per token per block application.</li>
 * </ul>
 * Not counted: the runtime itself (JVM, native libraries, CUDA context; measure it with {@code bench
 * memory}), the tokenizer and data, allocator fragmentation.
 */
public final class MemoryPlanner {

    private static final int FP32 = 4;

    private MemoryPlanner() {}

    public static MemoryEstimate estimate(MemoryRequest r) {
        Architecture a = r.architecture();
        int numLayers = a.numLayers();
        UnfreezePolicy policy = r.policy();
        boolean train = r.workload() == Workload.TRAIN;
        Set<String> trainable = train && !policy.isLora() ? policy.trainable(a.layout(), numLayers, r.split()) : Set.of();
        long trainableParams = 0;
        for (String name : trainable) {
            TensorSpec t = a.layout().get(name);
            trainableParams += Architecture.elements(t);
        }
        long adapters = train && policy.isLora() ? policy.adapterParameters(a.layout(), numLayers) : 0;
        long head = train && a.taskHeadInputs() > 0 ? (long) a.taskHeadInputs() * r.classes() + r.classes() : 0;
        long frozenParams = a.parameters() - trainableParams;
        Precision w = r.weights();
        Precision c = r.compute();

        List<MemoryEstimate.Component> parts = new ArrayList<>();
        parts.add(new MemoryEstimate.Component("frozen weights", frozenParams * w.bytes(),
                count(frozenParams) + " parameters x " + w.bytes() + " B (" + w.label() + ")"));
        if (trainableParams > 0) {
            int bytes = FP32 + (c == Precision.FP32 ? 0 : c.bytes());
            parts.add(new MemoryEstimate.Component("trainable weights", trainableParams * bytes,
                    count(trainableParams) + " parameters x " + bytes + " B (fp32" + (bytes > FP32 ? " + " + c.label()
                            + " copy" : "") + "), policy " + policy.print()));
        }
        if (adapters > 0) {
            parts.add(new MemoryEstimate.Component("LoRA adapters", adapters * FP32,
                    count(adapters) + " parameters x 4 B, " + policy.print()));
        }
        if (head > 0) {
            parts.add(new MemoryEstimate.Component("task head", head * FP32,
                    a.taskHeadInputs() + " x " + r.classes() + " + " + r.classes() + " parameters x 4 B"));
        }
        long trained = trainableParams + adapters + head;
        if (train) {
            parts.add(new MemoryEstimate.Component("gradients", trained * FP32, count(trained) + " trained values x 4 B"));
            parts.add(new MemoryEstimate.Component("optimizer (AdamW)", trained * 2L * FP32,
                    "2 moments x " + count(trained) + " x 4 B"));
        }

        long merged = mergedParameters(a, r.plan());
        if (merged > 0) {
            parts.add(new MemoryEstimate.Component("merged weights", merged * FP32, count(merged)
                    + " parameters x 4 B (each merge step's mean tensors, derived where the graph is built)"));
        }

        List<Integer> applications = blockApplications(r.plan());
        ActivationCounts act = a.activations();
        // every component below is at most this bound (in double, which cannot overflow): refuse beyond 10^18 bytes
        double perToken = act.savedPerToken(r.seq()) + 2.0 * act.residualPerToken() + 3.0 * act.outputPerToken()
                + act.cachePerToken();
        double bound = (double) r.batch() * r.seq() * perToken * 8
                * (r.plan().flattened().steps().size() + 1 + applications.size() + widestStep(r.plan()))
                + a.parameters() * 16.0;
        if (bound > 1e18) {
            throw new UserInputException(String.format(Locale.ROOT, "batch %d x seq %d: the estimate would "
                    + "pass 10^18 bytes (an exabyte); no machine holds that workload", r.batch(), r.seq()));
        }
        long tokens = (long) r.batch() * r.seq();
        long perApplication = tokens * act.savedPerToken(r.seq());
        if (train) {
            int states = r.plan().flattened().steps().size() + 1;
            parts.add(new MemoryEstimate.Component("saved states", states * tokens * act.residualPerToken() * c.bytes(),
                    states + " states (one entering each executed step, and the last) x " + r.batch() + " x "
                            + r.seq() + " tokens x " + act.residualPerToken() + " values x " + c.bytes() + " B"));
            int widest = widestStep(r.plan());
            parts.add(new MemoryEstimate.Component("one step's activations", widest * perApplication * c.bytes(),
                    widest + " block application(s) x " + r.batch() + " x " + r.seq() + " tokens x "
                            + count(act.savedPerToken(r.seq())) + " values x " + c.bytes() + " B, recomputed"));
            parts.add(new MemoryEstimate.Component("activation gradients", widest * perApplication * c.bytes(),
                    "the backward pass's gradient of every value of that step"));
        }
        if (r.workload() == Workload.GENERATE) {
            if (act.cachePerToken() == 0) {
                throw new UserInputException(a.family() + " models do not generate (no key/value cache)");
            }
            long kv = applications.size() * tokens * act.cachePerToken() * c.bytes();
            parts.add(new MemoryEstimate.Component("KV cache", kv, applications.size() + " block applications x "
                    + r.batch() + " x " + r.seq() + " positions x " + act.cachePerToken() + " values x " + c.bytes() + " B"));
            long step = (long) r.batch() * (act.savedPerToken(r.seq()) + 2 * act.residualPerToken()) * c.bytes();
            parts.add(new MemoryEstimate.Component("working set", step, "one new token per sequence through one block"));
            parts.add(new MemoryEstimate.Component("outputs", (long) r.batch() * act.outputPerToken() * 2 * FP32,
                    r.batch() + " x " + act.outputPerToken() + " logits and log-probabilities x 4 B"));
        } else {
            if (!train) {               // training: the step being differentiated is the working set
                long working = (perApplication + 2 * tokens * act.residualPerToken()) * c.bytes();
                parts.add(new MemoryEstimate.Component("working set", working, "one block application's "
                        + count(act.savedPerToken(r.seq())) + " values + 2 residual states per token x " + c.bytes()
                        + " B"));
            }
            int copies = train ? 3 : 2;
            parts.add(new MemoryEstimate.Component("outputs", tokens * act.outputPerToken() * copies * FP32,
                    r.batch() + " x " + r.seq() + " tokens x " + act.outputPerToken() + " values x " + copies
                            + (train ? " (outputs, log-probabilities, gradient)" : " (outputs, log-probabilities)")
                            + " x 4 B"));
        }
        return new MemoryEstimate(r, parts);
    }

    /**
     * The block of every application the plan executes, in order (loops unrolled, parallel blocks each, a merge
     * once, as its first block).
     */
    static List<Integer> blockApplications(LayerPlan plan) {
        List<Integer> out = new ArrayList<>();
        for (Step s : plan.flattened().steps()) {
            if (s instanceof Step.Merge m) {
                out.add(m.layers().get(0));
            } else {
                out.addAll(s.blocks());
            }
        }
        return out;
    }

    /** Parameters of the merged blocks the plan builds: one block's worth for each distinct merge of two or more. */
    static long mergedParameters(Architecture a, LayerPlan plan) {
        long n = 0;
        for (Step.Merge m : plan.flattened().steps().stream().filter(s -> s instanceof Step.Merge m
                && m.layers().size() > 1).map(s -> (Step.Merge) s).distinct().toList()) {
            int first = m.layers().get(0);
            n += a.layout().all().stream().filter(t -> t.block() == first).mapToLong(Architecture::elements).sum();
        }
        return n;
    }

    /** The most block applications one executed step runs (a parallel step runs all of its blocks). */
    static int widestStep(LayerPlan plan) {
        int widest = 1;
        for (Step s : plan.flattened().steps()) {
            if (s instanceof Step.Parallel p) {
                widest = Math.max(widest, p.layers().size());
            }
        }
        return widest;
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
