package painters.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import painters.eval.task.TaskData;
import painters.eval.task.TaskSpecs;
import painters.model.bert.BertModel;
import painters.model.plan.LayerPlan;
import painters.model.plan.Split;
import painters.training.CurvePoint;
import painters.training.FineTuneConfig;
import painters.training.FineTuner;
import painters.training.TrainingLoop;
import painters.training.UnfreezePolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Fine-tunes one plan on one task and prints its recovery curve. */
@Command(name = "finetune", description = "Fine-tune an encoder run as a layer plan on a task's train split (unfreezing) "
        + "and print the recovery curve on its held-out split; step 0 is the frozen linear probe. Resumable with "
        + "--checkpoints.")
final class FinetuneCommand implements Callable<Integer> {

    @Mixin
    ModelOption model;

    @Mixin
    PlanOption planOption;

    @Option(names = "--task", description = "Encoders: a task with a train split (wn-lexname, wn-bshift, mrpc, cola, "
            + "or a spec file).")
    String task;

    @Option(names = "--text", paramLabel = "FILE", description = "Decoders: a text file to fine-tune on with the causal "
            + "LM loss (windows of --max-tokens); the last --held-out share is held out for perplexity.")
    Path text;

    @Option(names = "--held-out", defaultValue = "0.1", description = "Decoders: held-out share of the text's windows.")
    double heldOut;

    @Option(names = "--data", paramLabel = "DIR", description = "Data folder for ${data} in task specs.")
    Path data;

    @Option(names = "--policy", defaultValue = "all", description = "head, all, middle, adjacent, first:N, last:N, "
            + "blocks:LIST (default ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--steps", defaultValue = "100", description = "Optimizer steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--lr", defaultValue = "5e-5", description = "AdamW peak learning rate (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--warmup", defaultValue = "-1", description = "Warm-up steps (-1: 10% of the steps).")
    int warmup;

    @Option(names = "--schedule", defaultValue = "linear", description = "linear, cosine or constant.")
    String schedule;

    @Option(names = "--batch-size", defaultValue = "32", description = "Examples per micro-batch (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--grad-accum", defaultValue = "1", description = "Micro-batches per step (default ${DEFAULT-VALUE}).")
    int accum;

    @Option(names = "--clip", defaultValue = "1.0", description = "Global gradient-norm clip, 0 = off.")
    double clip;

    @Option(names = "--weight-decay", defaultValue = "0.01", description = "Decoupled weight decay on matrices.")
    double weightDecay;

    @Option(names = "--eval-every", defaultValue = "10", description = "Held-out evaluation period in steps.")
    int evalEvery;

    @Option(names = "--target", defaultValue = "NaN", description = "Stop once the primary score reaches this.")
    double target;

    @Option(names = "--train-seed", defaultValue = "0", description = "Data order and linear-probe seed.")
    long seed;

    @Option(names = "--train-max", defaultValue = "0", description = "Cap on training examples (0 = all).")
    int trainMax;

    @Option(names = "--max-length", defaultValue = "128", description = "Tokens per input.")
    int maxLength;

    @Option(names = "--untie", description = "Give each use of a repeated block its own trainable copy.")
    boolean untie;

    @Option(names = "--checkpoints", paramLabel = "DIR", description = "Checkpoint folder: a run resumes from it.")
    Path checkpoints;

    @Option(names = "--checkpoint-every", defaultValue = "0", description = "Checkpoint period in steps (0: at the end).")
    int checkpointEvery;

    @Override
    public Integer call() throws Exception {
        if (painters.model.llama.LlamaLoader.isDecoder(model.model)) {
            return decoder();
        }
        if (task == null) {
            throw new IllegalArgumentException("--task is required for an encoder");
        }
        BertModel m = model.load();
        int t = m.config().numLayers();
        LayerPlan plan = planOption.resolve(t);
        Split split = planOption.split != null ? new Split(t, planOption.split) : null;
        TaskData d = TaskData.load(TaskSpecs.load(task, data));
        FineTuneConfig cfg = config();
        System.out.printf("model  %s%nplan   %s%ntask   %s (%d train, %d held-out)%npolicy %s%s%n%n", m.id(), plan.print(),
                d.spec().name(), d.train() == null ? 0 : d.train().size(), d.eval().size(), cfg.policy().print(),
                untie ? " (untied repeats)" : "");
        TrainingLoop.Result r;
        painters.model.MemoryPeaks.Peaks peaks;
        try (painters.model.MemoryPeaks mem = painters.model.MemoryPeaks.start()) {
            r = new FineTuner(m, d, plan, split, cfg).run(checkpoints);
            peaks = mem.peaks();
        }
        System.out.printf("%6s %10s %12s %10s %10s %8s%n", "step", "examples", "tokens", "loss", d.spec().primary().id(), "s");
        for (CurvePoint p : r.curve()) {
            System.out.printf(Locale.ROOT, "%6d %10d %12d %10.4f %10.4f %8.0f%n", p.step(), p.examples(), p.tokens(), p.loss(),
                    p.primary(), p.seconds());
        }
        System.out.printf("%ntrainable parameters %,d%s%nmemory %s%n", r.trainableParameters(), r.stoppedEarly()
                ? "; stopped early at the target" : "", peaks);
        return 0;
    }

    private FineTuneConfig config() {
        return new FineTuneConfig(lr, warmup >= 0 ? warmup : steps / 10, schedule, steps, batch, accum, clip, weightDecay,
                seed, evalEvery, target, checkpointEvery, untie, UnfreezePolicy.parse(policy), trainMax, maxLength);
    }

    private int decoder() throws Exception {
        if (text == null) {
            throw new IllegalArgumentException("--text FILE is required for a decoder (causal LM fine-tuning)");
        }
        painters.model.llama.LlamaModel m = painters.model.llama.LlamaLoader.load(model.model);
        int t = m.config().numLayers();
        LayerPlan plan = planOption.resolve(t);
        Split split = planOption.split != null ? new Split(t, planOption.split) : null;
        painters.training.DecoderFineTuner ft = new painters.training.DecoderFineTuner(m, text, heldOut, plan, split,
                config());
        System.out.printf("model  %s%nplan   %s%ntext   %s (%d train, %d held-out windows of %d tokens)%npolicy %s%n%n",
                m.id(), plan.print(), text, ft.trainWindows(), ft.heldOutWindows(), maxLength, policy);
        TrainingLoop.Result r = ft.run(checkpoints);
        System.out.printf("%6s %10s %12s %10s %12s %8s%n", "step", "windows", "tokens", "loss", "perplexity", "s");
        for (CurvePoint p : r.curve()) {
            System.out.printf(Locale.ROOT, "%6d %10d %12d %10.4f %12.3f %8.0f%n", p.step(), p.examples(), p.tokens(),
                    p.loss(), p.scores().get(painters.eval.metric.Metric.PERPLEXITY), p.seconds());
        }
        System.out.printf("%ntrainable parameters %,d%n", r.trainableParameters());
        return 0;
    }
}
