package painters.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import painters.eval.head.Featurizer;
import painters.eval.head.HeadConfig;
import painters.eval.head.TaskEvaluator;
import painters.eval.head.TaskScore;
import painters.eval.metric.Metric;
import painters.eval.metric.Normalization;
import painters.eval.task.TaskData;
import painters.eval.task.TaskSpec;
import painters.eval.task.TaskSpecs;
import painters.model.bert.BertEncoder;
import painters.model.bert.BertModel;
import painters.model.plan.LayerPlan;
import painters.model.tokenizer.HfTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Scores tasks on the frozen encoder under a plan, next to the full model, normalised as in the paper. */
@Command(name = "eval", description = "Score tasks on the frozen encoder under a layer plan (zero-shot STS; "
        + "linear heads trained on frozen features), with the full model's scores and the paper's normalisation.")
final class EvalCommand implements Callable<Integer> {

    @Mixin
    ModelOption model;

    @Mixin
    PlanOption planOption;

    @Option(names = "--tasks", split = ",", paramLabel = "TASK",
            description = "Built-in task names " + "(sst2, mrpc, rte, cola, stsb, wn-lexname, wn-bshift) or spec files. "
                    + "Default: the embedded suite, plus the GLUE tasks when --data is given.")
    List<String> tasks;

    @Option(names = "--data", paramLabel = "DIR", description = "Data folder for ${data} in task specs "
            + "(e.g. ../shared/data).")
    Path data;

    @Option(names = "--train-max", defaultValue = "0", description = "Cap on training examples per task, a seeded "
            + "subsample (0 = all; default ${DEFAULT-VALUE}).")
    int trainMax;

    @Option(names = "--head-seed", defaultValue = "0", description = "Seed of head init, data order and folds "
            + "(default ${DEFAULT-VALUE}).")
    long headSeed;

    @Option(names = "--max-length", defaultValue = "128", description = "Tokens per input (default ${DEFAULT-VALUE}, "
            + "as GLUE fine-tuning).")
    int maxLength;

    @Option(names = "--batch-size", defaultValue = "32", description = "Inputs per forward pass (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--no-reference", description = "Do not score the full model next to a modified plan.")
    boolean noReference;

    @Override
    public Integer call() {
        BertModel m = model.load();
        LayerPlan plan = planOption.resolve(m.config().numLayers());
        List<String> names = tasks != null ? tasks : new ArrayList<>(data != null ? TaskSpecs.BUILT_IN : TaskSpecs.EMBEDDED);
        List<TaskData> datas = new ArrayList<>();
        for (String n : names) {
            TaskSpec spec = TaskSpecs.load(n, data);
            datas.add(TaskData.load(spec));
        }
        LayerPlan full = LayerPlan.identity(m.config().numLayers());
        boolean modified = !plan.equals(full);
        HeadConfig head = HeadConfig.frozenProtocol(headSeed);
        System.out.printf("model  %s%nplan   %s (depth %d, %d block applications)%nhead   linear, lr %.0e, %d epochs (at least %d steps), "
                + "batch %d, seed %d%s%n%n", m.id(), plan.print(), plan.depth(), plan.applications(), head.learningRate(),
                head.epochs(), head.minSteps(), head.batchSize(), headSeed, trainMax > 0 ? ", train-max " + trainMax : "");
        long t0 = System.nanoTime();
        try (HfTokenizer tok = m.tokenizer().withMaxLength(maxLength)) {
            List<TaskScore> planScores = score(datas, new Featurizer(BertEncoder.of(m.weights(), plan), tok, m.pooling(),
                    batchSize));
            List<TaskScore> fullScores = modified && !noReference
                    ? score(datas, new Featurizer(BertEncoder.of(m.weights(), full), tok, m.pooling(), batchSize)) : null;
            print(planScores, fullScores);
        }
        System.out.printf("%n%.0f s%n", (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    private List<TaskScore> score(List<TaskData> datas, Featurizer f) {
        List<TaskScore> out = new ArrayList<>();
        for (TaskData d : datas) {
            out.add(TaskEvaluator.evaluate(d, f, HeadConfig.frozenProtocol(headSeed), trainMax));
        }
        return out;
    }

    private static void print(List<TaskScore> plan, List<TaskScore> full) {
        System.out.printf("%-11s %-9s %6s %8s %8s %10s  %s%n", "task", "metric", "n", full != null ? "full" : "",
                "score", full != null ? "normalised" : "chance", "protocol");
        List<Double> normalised = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            TaskScore s = plan.get(i);
            boolean first = true;
            for (Metric metric : s.values().keySet().stream().sorted((a, b) -> a == s.primary() ? -1
                    : b == s.primary() ? 1 : 0).toList()) {
                double v = s.values().get(metric);
                String fullV = "";
                String last = first ? String.format(Locale.ROOT, "%.2f", s.chance()) : "";
                if (full != null) {
                    double fv = full.get(i).values().get(metric);
                    fullV = String.format(Locale.ROOT, "%.4f", fv);
                    last = "";
                    if (first) {
                        double nv = Normalization.normalize(v, s.chance(), fv);
                        normalised.add(nv);
                        last = String.format(Locale.ROOT, "%.3f", nv);
                    }
                }
                System.out.printf("%-11s %-9s %6s %8s %8.4f %10s  %s%n", first ? s.task() : "", metric.id()
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
