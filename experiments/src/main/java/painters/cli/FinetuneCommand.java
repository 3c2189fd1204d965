package painters.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import painters.model.MemoryPeaks;
import painters.model.UserInputException;
import painters.model.family.LoadedModel;
import painters.model.graph.Gradients;
import painters.model.plan.LayerPlan;
import painters.model.plan.Split;
import painters.subject.Subject;
import painters.subject.SubjectSettings;
import painters.subject.Subjects;
import painters.training.CurvePoint;
import painters.training.FineTuneConfig;
import painters.training.TrainingLoop;
import painters.training.UnfreezePolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Fine-tunes one plan on one task and prints its recovery curve. */
@Command(name = "finetune", description = "Fine-tune a model run as a layer plan (unfreezing) and print its recovery "
        + "curve on held-out data. Encoders: a task's train split with a task head (step 0 is the frozen linear probe). "
        + "Decoders: the causal LM loss on a text or JSONL file or an LM task's train split, with held-out perplexity "
        + "and any --tasks scored along the curve. Resumable with --checkpoints.")
final class FinetuneCommand implements Callable<Integer> {

    @Mixin
    PlannedModelOptions model;

    @Mixin
    DataOption dataOption;

    @Option(names = "--task", description = "What to fine-tune on. Encoders: a task with a train split (wn-lexname, "
            + "wn-bshift, mrpc, cola, or a spec file). Decoders: an LM task with a train split (arc-easy, arc-challenge, "
            + "gsm8k), or a file (as --text).")
    String task;

    @Option(names = "--text", paramLabel = "FILE", description = "Decoders: a text file (or .jsonl with a \"text\" "
            + "field per line) to fine-tune on with the causal LM loss (windows of --max-length tokens); the last "
            + "--held-out share is held out for perplexity.")
    Path text;

    @Option(names = "--tasks", split = ",", paramLabel = "TASK", description = "Decoders: language-model tasks scored at "
            + "every evaluation with the current weights (e.g. lambada,arc-easy; with --limit). Default: none.")
    List<String> curveTasks;

    @Option(names = "--limit", defaultValue = "0", description = "Decoders: items per --tasks task (0 = all).")
    int limit;

    @Option(names = "--bos", description = "Decoders: BOS before every --tasks context (llama2.c models need it).")
    boolean bos;

    @Option(names = "--held-out", defaultValue = "0.1", description = "Decoders: held-out share of the text's windows.")
    double heldOut;

    @Option(names = "--policy", defaultValue = "all", description = "head, all, middle, adjacent, first:N, last:N, "
            + "blocks:LIST, lora:R[:q,k,v,o,gate,up,down][:alpha=A] (default ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--steps", defaultValue = "100", description = "Optimizer steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--lr", defaultValue = "5e-5", description = "AdamW peak learning rate (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--warmup", defaultValue = "-1", description = "Warm-up steps (-1: 10%% of the steps).")
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

    @Option(names = "--gradients", defaultValue = "recompute", paramLabel = "HOW", description = "recompute (at "
            + "each executed step: one step's activations in memory, the default) or whole (the whole graph at once: "
            + "faster, more memory).")
    String gradients;

    @Option(names = "--untie", description = "Give each use of a repeated block its own trainable copy.")
    boolean untie;

    @Option(names = "--checkpoints", paramLabel = "DIR", description = "Checkpoint folder: a run resumes from it.")
    Path checkpoints;

    @Option(names = "--checkpoint-every", defaultValue = "0", description = "Checkpoint period in steps (0: at the end).")
    int checkpointEvery;

    @Override
    public Integer call() throws Exception {
        LoadedModel m = model.load();
        String on = text != null ? text.toString() : task;
        if (on == null) {
            throw new UserInputException("name what to fine-tune on: --task (a task with a train split) or --text FILE");
        }
        List<String> scored = curveTasks != null ? curveTasks : text != null ? List.of() : List.of(on);
        Subject subject = Subjects.of(m, new SubjectSettings(scored, dataOption.data, batch,
                maxLength, trainMax, List.of(seed), limit, 0, bos, false, on, heldOut));
        int t = m.numLayers();
        LayerPlan plan = model.plan(t);
        Split split = model.split(t);
        String what = subject.fineTuneTargets().contains(on) ? on : subject.fineTuneTargets().get(0);
        FineTuneConfig cfg = config();
        System.out.printf("model  %s%nplan   %s%ndata   %s%npolicy %s%s%n%n", m.id(), plan.print(), what,
                cfg.policy().print(), untie ? " (untied repeats)" : "");
        TrainingLoop.Result r;
        MemoryPeaks.Peaks peaks;
        try (MemoryPeaks mem = MemoryPeaks.start()) {
            r = subject.fineTune(plan, split, what, cfg, 0, checkpoints);
            peaks = mem.peaks();
        }
        List<Subject.CurveScore> header = new ArrayList<>();
        for (Subject.CurveScore c : subject.curveScores(what, r.curve().get(0))) {
            if (c.primary()) {
                header.add(c);
            }
        }
        // one column per task's primary metric (a decoder's: held-out perplexity, then each scored task), each with
        // its standard error over the held-out items
        List<String> names = header.stream().map(c -> c.task() + " " + c.metric()).toList();
        System.out.printf("%6s %10s %12s %10s", "step", "examples", "tokens", "loss");
        names.forEach(n -> System.out.printf(" %" + Math.max(10, n.length()) + "s %8s", n, "+- se"));
        System.out.printf(" %8s%n", "s");
        for (CurvePoint p : r.curve()) {
            System.out.printf(Locale.ROOT, "%6d %10d %12d %10.4f", p.step(), p.examples(), p.tokens(), p.loss());
            int k = 0;
            for (Subject.CurveScore c : subject.curveScores(what, p)) {
                if (c.primary()) {
                    System.out.printf(Locale.ROOT, " %" + Math.max(10, names.get(k++).length()) + ".4f %8.4f", c.value(),
                            c.stderr());
                }
            }
            System.out.printf(Locale.ROOT, " %8.0f%n", p.seconds());
        }
        System.out.printf("%ntrainable parameters %,d%s%nmemory %s%n", r.trainableParameters(), r.stoppedEarly()
                ? "; stopped early at the target" : "", peaks);
        return 0;
    }

    private FineTuneConfig config() {
        return new FineTuneConfig(lr, warmup >= 0 ? warmup : steps / 10, schedule, steps, batch, accum, clip, weightDecay,
                seed, evalEvery, target, checkpointEvery, untie, UnfreezePolicy.parse(policy), trainMax, maxLength,
                Gradients.parse(gradients));
    }
}
