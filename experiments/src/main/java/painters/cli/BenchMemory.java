package painters.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import painters.model.Backend;
import painters.model.MemoryPeaks;
import painters.model.UserInputException;
import painters.model.family.Architecture;
import painters.model.family.LoadedModel;
import painters.model.family.ModelFamilies;
import painters.model.graph.TrainingGraph;
import painters.model.plan.LayerPlan;
import painters.model.plan.Split;
import painters.model.weights.Precision;
import painters.training.AdamW;
import painters.training.UnfreezePolicy;
import painters.training.memory.MemoryEstimate;
import painters.training.memory.MemoryPlanner;
import painters.training.memory.MemoryRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The memory planner against a measurement: fine-tuning steps of a model under a plan and a policy, the
 * process's peak resident memory above the runtime's own (measured before the model is loaded), next to
 * {@code plan-memory}'s total for the same workload.
 */
@Command(name = "memory", description = "Measure the peak resident memory of fine-tuning steps (model, plan, policy, "
        + "batch x seq) above the runtime's baseline and compare it with plan-memory's estimate.")
final class BenchMemory implements Callable<Integer> {

    @Option(names = "--model", defaultValue = "default", paramLabel = "MODEL", description = "Default: ${DEFAULT-VALUE}.")
    String model;

    @Mixin
    PlanOption plan;

    @Option(names = "--policy", defaultValue = "all", description = "Unfreeze policy (default ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--batch", defaultValue = "32", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seq", defaultValue = "128", description = "Tokens per sequence (default ${DEFAULT-VALUE}).")
    int seq;

    @Option(names = "--dtype", defaultValue = "fp32", description = "Precision of the pretrained weights (default "
            + "${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--steps", defaultValue = "3", description = "Fine-tuning steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--whole", description = "Differentiate the whole graph at once, every activation alive (the default "
            + "recomputes each step's activations during the backward pass: TrainingGraph).")
    boolean whole;

    @Override
    public Integer call() {
        Nd4j.create(1);                                     // natives loaded: part of the baseline
        System.gc();
        long baseline = Pointer.physicalBytes();
        Architecture a = ModelFamilies.architecture(model);
        LayerPlan p = plan.resolve(a.numLayers());
        Split split = plan.split(a.numLayers());
        UnfreezePolicy pol = UnfreezePolicy.parse(policy);
        MemoryEstimate e = MemoryPlanner.estimate(new MemoryRequest(a, p, split, MemoryRequest.Workload.TRAIN, pol,
                Precision.parse(dtype), Precision.FP32, batch, seq, 2));
        MemoryPeaks.Peaks peaks;
        double[] losses = new double[steps];
        double[] seconds = new double[steps];
        try (MemoryPeaks mem = MemoryPeaks.start()) {
            LoadedModel m = ModelFamilies.load(model).withPrecision(Precision.parse(dtype));
            TrainingGraph g = graph(m, p, split, pol);
            if (g.trainableCount() == 0) {
                throw new UserInputException("policy " + pol.print() + " trains nothing in " + m.id()
                        + " under plan " + p.print());
            }
            Map<String, INDArray> feed = feed(m, g);
            AdamW opt = AdamW.withDefaults(0.01, g.decayed());
            for (int i = 0; i < steps; i++) {
                long t0 = System.nanoTime();
                TrainingGraph.LossAndGrads lg = whole ? g.wholeLossAndGradients(feed) : g.lossAndGradients(feed);
                opt.step(g.parameters(), lg.grads(), 1e-5);
                TrainingGraph.free(lg.grads());
                losses[i] = lg.loss();
                seconds[i] = (System.nanoTime() - t0) / 1e9;
                System.gc();                        // free the step's arrays now: the peak is what one step holds
            }
            peaks = mem.peaks();
        }
        long measured = peaks.resident() - baseline;
        System.out.printf(Locale.ROOT, "model     %s (%s weights), plan %s, policy %s, batch %d x %d, %d AdamW steps "
                + "(losses %s), gradients %s%n", a.source(), Precision.parse(dtype).label(), p.print(), pol.print(), batch, seq,
                steps, Arrays.toString(losses), whole ? "of the whole graph" : "by recomputation");
        System.out.printf(Locale.ROOT, "seconds per step %s (the first builds the gradient graphs)%n",
                Arrays.toString(Arrays.stream(seconds).map(x -> Math.round(x * 10) / 10.0).toArray()));
        System.out.printf("backend   %s%n", Backend.current());
        System.out.println("plan-memory estimate:");
        e.lines(0).forEach(System.out::println);
        System.out.printf(Locale.ROOT, "runtime baseline (JVM + natives, before the model)  %s%n", MemoryEstimate.gb(baseline));
        System.out.printf(Locale.ROOT, "measured peak resident %s; above the baseline %s%n", MemoryEstimate.gb(peaks.resident()),
                MemoryEstimate.gb(measured));
        System.out.printf(Locale.ROOT, "estimate / measured = %.2f (estimate %s, measured %s above the baseline)%n",
                (double) e.total() / measured, MemoryEstimate.gb(e.total()), MemoryEstimate.gb(measured));
        return 0;
    }

    /** The model's trainable graph under the policy (no untied repeats). */
    private static TrainingGraph graph(LoadedModel m, LayerPlan p, Split split, UnfreezePolicy pol) {
        return BenchSupport.trainingGraph(m, p, pol.unfreezing(m.weights().layout(), p, split, false));
    }

    private Map<String, INDArray> feed(LoadedModel m, TrainingGraph g) {
        return BenchSupport.trainingFeed(m, g, batch, seq);
    }
}
