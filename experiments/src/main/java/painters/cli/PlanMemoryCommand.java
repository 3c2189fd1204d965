package painters.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import painters.model.UserInputException;
import painters.model.family.Architecture;
import painters.model.family.ModelFamilies;
import painters.model.plan.LayerPlan;
import painters.model.plan.Split;
import painters.model.weights.Precision;
import painters.training.UnfreezePolicy;
import painters.training.memory.MemoryEstimate;
import painters.training.memory.MemoryPlanner;
import painters.training.memory.MemoryRequest;
import painters.training.memory.MemoryRequest.Workload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prints what a workload needs in memory, from the model's config alone, against a device's memory. */
@Command(name = "plan-memory", description = "Estimate the memory of evaluating, fine-tuning or generating with a "
        + "model under a plan: weights, gradients, optimizer state, activations, KV cache, total; from config.json "
        + "alone (no weights needed).")
final class PlanMemoryCommand implements Callable<Integer> {

    @Option(names = "--model", defaultValue = "default", paramLabel = "MODEL",
            description = "A checkpoint any command takes, or just its config.json (a file, or a directory holding "
                    + "one). Default: ${DEFAULT-VALUE}.")
    String model;

    @Mixin
    PlanOption plan;

    @Option(names = "--workload", paramLabel = "W", description = "eval (frozen forward), train (fine-tuning "
            + "with AdamW) or generate (KV cache of --seq positions). Default: train with --policy, else eval.")
    String workload;

    @Option(names = "--policy", paramLabel = "POLICY", description = "What fine-tuning trains: head, all, middle, "
            + "adjacent, first:N, last:N, blocks:LIST, lora:R[:TARGETS][:alpha=A].")
    String policy;

    @Option(names = "--dtype", paramLabel = "DTYPE", description = "Precision of the frozen weights: fp32, bf16, "
            + "fp16. Default: the checkpoint's torch_dtype.")
    String dtype;

    @Option(names = "--compute", paramLabel = "DTYPE", defaultValue = "fp32",
            description = "Precision of the activations. Default: ${DEFAULT-VALUE}.")
    String compute;

    @Option(names = "--batch", defaultValue = "32", description = "Sequences per batch. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--seq", defaultValue = "128", description = "Tokens per sequence. Default: ${DEFAULT-VALUE}.")
    int seq;

    @Option(names = "--classes", defaultValue = "2", description = "Outputs of an encoder's task head. "
            + "Default: ${DEFAULT-VALUE}.")
    int classes;

    @Option(names = "--device-memory", paramLabel = "SIZE", description = "The device's memory, e.g. 24GB, 80GiB, "
            + "16000MB: prints whether the workload fits.")
    String deviceMemory;

    @Override
    public Integer call() {
        Architecture a = ModelFamilies.architecture(model);
        LayerPlan p = plan.resolve(a.numLayers());
        Split split = plan.split(a.numLayers());
        Workload w = workload != null ? Workload.parse(workload) : policy != null ? Workload.TRAIN : Workload.EVAL;
        if (policy != null && w != Workload.TRAIN) {
            throw new UserInputException("--policy applies to --workload train, not " + w.label());
        }
        Precision weights = Precision.parse(dtype != null ? dtype : a.checkpointDtype());
        MemoryRequest r = new MemoryRequest(a, p, split, w, policy == null ? null : UnfreezePolicy.parse(policy),
                weights, Precision.parse(compute), batch, seq, classes);
        MemoryEstimate e = MemoryPlanner.estimate(r);
        System.out.printf(Locale.ROOT, "model     %s (%s, %s blocks, %,d parameters, stored as %s)%n", a.source(),
                a.modelType(), a.numLayers(), a.parameters(), a.checkpointDtype());
        System.out.printf(Locale.ROOT, "plan      %s (%d block applications, depth %d)%n", p.print(), p.applications(),
                p.depth());
        System.out.printf(Locale.ROOT, "workload  %s%s, batch %d x %d tokens, weights %s, compute %s%n", w.label(),
                r.policy() == null ? "" : " (policy " + r.policy().print() + ")", batch, seq, weights.label(),
                r.compute().label());
        long device = deviceMemory == null ? 0 : parseSize(deviceMemory);
        e.lines(device).forEach(System.out::println);
        System.out.println("not counted: the runtime (JVM, native libraries, CUDA context), data, allocator "
                + "fragmentation; `painters bench memory` measures them against this plan");
        return 0;
    }

    /** {@code 24GB}, {@code 24G}, {@code 80GiB}, {@code 16000MB}, {@code 512MiB}, or bytes. */
    static long parseSize(String text) {
        String t = text.strip().toUpperCase(Locale.ROOT).replace(" ", "");
        Matcher m = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(GIB|GB|G|MIB|MB|M|TB|T|B)?")
                .matcher(t);
        if (!m.matches()) {
            throw new UserInputException("--device-memory: cannot read \"" + text + "\" (e.g. 24GB, 80GiB, 16000MB)");
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2);
        double f = switch (unit) {
            case "GIB" -> 1L << 30;
            case "MIB" -> 1L << 20;
            case "GB", "G" -> 1e9;
            case "MB", "M" -> 1e6;
            case "TB", "T" -> 1e12;
            default -> 1;
        };
        return (long) (v * f);
    }
}
