package painters.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import painters.eval.head.PairEncoding;
import painters.eval.metric.Metric;
import painters.eval.metric.Normalization;
import painters.eval.task.TaskScore;
import painters.model.family.LoadedModel;
import painters.model.plan.LayerPlan;
import painters.subject.Subject;
import painters.subject.SubjectSettings;
import painters.subject.Subjects;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Scores tasks on the frozen encoder under a plan, next to the full model, normalised as in the paper. */
@Command(name = "eval", description = "Score tasks on the frozen model under a layer plan, with the full model's "
        + "scores and the paper's normalisation. Encoders: zero-shot STS and linear heads trained on frozen features. "
        + "Decoders: lm-evaluation-harness-style tasks (log-likelihood multiple choice, LAMBADA, rolling perplexity, "
        + "GSM8K generation).")
final class EvalCommand implements Callable<Integer> {

    @Mixin
    PlannedModelOptions model;

    @Mixin
    InputOptions input;

    @Mixin
    DataOption dataOption;

    @Mixin
    RepairOptions repair;

    @Option(names = "--tasks", split = ",", paramLabel = "TASK",
            description = "Encoders: built-in task names (sst2, mrpc, rte, cola, stsb, wn-lexname, wn-shuffle, wn-isa, wn-bshift) or spec "
                    + "files; default: the embedded suite, plus the GLUE tasks when --data is given. Decoders: arc-easy, "
                    + "arc-challenge, hellaswag, winogrande, piqa, boolq, lambada, wikitext2, gsm8k; default: all but "
                    + "gsm8k.")
    List<String> tasks;

    @Option(names = "--train-max", defaultValue = "0", description = "Cap on training examples per task, a seeded "
            + "subsample (0 = all; default ${DEFAULT-VALUE}).")
    int trainMax;

    @Option(names = "--head-seed", defaultValue = "0", description = "Seed of head init, data order and folds "
            + "(default ${DEFAULT-VALUE}).")
    long headSeed;

    @Option(names = "--no-reference", description = "Do not score the full model next to a modified plan.")
    boolean noReference;

    @Option(names = "--limit", defaultValue = "0", description = "Decoders: score only the first N items of each task "
            + "(0 = all; default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--context", defaultValue = "0", description = "Decoders: context length in tokens (0 = the "
            + "model's max positions; default ${DEFAULT-VALUE}).")
    int context;

    @Option(names = "--bos", description = "Decoders: put BOS before every context (lm-eval v0.4 does not for Llama "
            + "models; models trained with BOS everywhere, like llama2.c's, need it).")
    boolean bos;

    @Option(names = "--pairs", defaultValue = "auto", paramLabel = "HOW", description = "Two-text tasks (MRPC, RTE, "
            + "STS-B regression): joint (the pair encoded together, the paper's protocol for BERT), separate (each text "
            + "alone, head on [u, v, |u-v|, u*v], the SentEval/SBERT protocol) or auto (separate for a "
            + "sentence-transformers model, joint otherwise; default).")
    String pairs;

    @Override
    public Integer call() {
        input.check();
        repair.check();
        LoadedModel m = model.load();
        Subject subject = Subjects.of(m, settings());
        LayerPlan plan = model.plan(m.numLayers());
        LayerPlan full = LayerPlan.identity(m.numLayers());
        boolean modified = !plan.equals(full);
        LoadedModel planModel = repair.apply(m, plan, input.batchSize, input.maxLength);
        Subject planSubject = planModel == m ? subject : Subjects.of(planModel, settings());
        System.out.printf("model  %s%nplan   %s (depth %d, %d block applications)%nscored %s%n%n", planModel.id(),
                plan.print(), plan.depth(), plan.applications(), subject.protocol());
        long t0 = System.nanoTime();
        List<TaskScore> planScores;
        try (Subject.Scorer scorer = planSubject.scorers(List.of()).scorer()) {
            planScores = score(scorer.plan(plan), planSubject.tasks());
        }
        List<TaskScore> fullScores = null;
        if (modified && !noReference) {
            try (Subject.Scorer scorer = subject.scorers(List.of()).scorer()) {
                fullScores = score(scorer.plan(full), subject.tasks());
            }
        }
        print(planScores, fullScores);
        System.out.printf("%n%.0f s%n", (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    private SubjectSettings settings() {
        return new SubjectSettings(tasks, dataOption.data, input.batchSize, input.maxLength, trainMax, List.of(headSeed),
                limit, context, bos, false, null, 0.1, PairEncoding.parse(pairs));
    }

    private List<TaskScore> score(Subject.PlanScorer scorer, List<String> names) {
        List<TaskScore> out = new ArrayList<>();
        for (String t : names) {
            out.add(scorer.score(t, headSeed));
        }
        scorer.done();
        return out;
    }

    private static void print(List<TaskScore> plan, List<TaskScore> full) {
        System.out.printf("%-13s %-15s %6s %8s %8s %10s  %s%n", "task", "metric", "n", full != null ? "full" : "",
                "score", full != null ? "normalised" : "chance", "protocol");
        List<Double> normalised = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            TaskScore s = plan.get(i);
            boolean first = true;
            for (Metric metric : s.values().keySet().stream().sorted((a, b) -> a == s.primary() ? -1
                    : b == s.primary() ? 1 : 0).toList()) {
                double v = s.values().get(metric);
                String fullV = "";
                String last = first && !Double.isNaN(s.chance()) ? String.format(Locale.ROOT, "%.2f", s.chance()) : "";
                if (full != null) {
                    double fv = full.get(i).values().get(metric);
                    fullV = String.format(Locale.ROOT, "%.4f", fv);
                    last = "";
                    if (first && !Double.isNaN(s.chance()) && s.primary().higherIsBetter() && fv != s.chance()) {
                        double nv = Normalization.normalize(v, s.chance(), fv);
                        normalised.add(nv);
                        last = String.format(Locale.ROOT, "%.3f", nv);
                    }
                }
                System.out.printf("%-13s %-15s %6s %8s %8.4f %10s  %s%n", first ? s.task() : "", metric.id()
                        + (first ? "*" : ""), first ? Integer.toString(s.n()) : "", fullV, v, last, first ? s.protocol() : "");
                first = false;
            }
        }
        System.out.println("* primary metric (normalised against chance and the full model: (score - chance) / (full - chance))");
        if (!normalised.isEmpty()) {
            System.out.printf("normalised score over %d tasks: median %.3f, mean %.3f%n", normalised.size(),
                    Normalization.median(normalised), Normalization.mean(normalised));
        }
    }
}
