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
import painters.model.bert.BertModel;
import painters.model.plan.LayerPlan;
import painters.model.tokenizer.HfTokenizer;
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
    ModelOption model;

    @Mixin
    PlanOption planOption;

    @Option(names = "--tasks", split = ",", paramLabel = "TASK",
            description = "Encoders: built-in task names (sst2, mrpc, rte, cola, stsb, wn-lexname, wn-bshift) or spec "
                    + "files; default: the embedded suite, plus the GLUE tasks when --data is given. Decoders: arc-easy, "
                    + "arc-challenge, hellaswag, winogrande, piqa, boolq, lambada, wikitext2, gsm8k; default: all but "
                    + "gsm8k.")
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

    @Option(names = "--limit", defaultValue = "0", description = "Decoders: score only the first N items of each task "
            + "(0 = all; default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--context", defaultValue = "0", description = "Decoders: context length in tokens (0 = the "
            + "model's max positions; default ${DEFAULT-VALUE}).")
    int context;

    @Option(names = "--bos", description = "Decoders: put BOS before every context (lm-eval v0.4 does not for Llama "
            + "models; models trained with BOS everywhere, like llama2.c's, need it).")
    boolean bos;

    @Override
    public Integer call() {
        if (painters.model.llama.LlamaLoader.isDecoder(model.model)) {
            return decoder();
        }
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
            List<TaskScore> planScores = score(datas, Featurizer.of(m.weights(), plan, tok, m.pooling(), batchSize,
                    null));
            List<TaskScore> fullScores = modified && !noReference
                    ? score(datas, Featurizer.of(m.weights(), full, tok, m.pooling(), batchSize, null)) : null;
            print(planScores, fullScores);
        }
        System.out.printf("%n%.0f s%n", (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    private int decoder() {
        painters.model.llama.LlamaModel m = painters.model.llama.LlamaLoader.load(model.model);
        LayerPlan plan = planOption.resolve(m.config().numLayers());
        List<String> names = tasks != null ? tasks : painters.eval.lm.LmTasks.names().stream()
                .filter(t -> !t.equals("gsm8k")).toList();
        names.forEach(painters.eval.lm.LmTasks::get);
        painters.eval.lm.LmEvaluator ev = new painters.eval.lm.LmEvaluator(data, batchSize, context, bos, limit);
        LayerPlan full = LayerPlan.identity(m.config().numLayers());
        boolean modified = !plan.equals(full);
        System.out.printf("model  %s%nplan   %s (depth %d, %d block applications)%nlm     context %d tokens, batch %d, "
                + "BOS %s%s%n%n", m.id(), plan.print(), plan.depth(), plan.applications(),
                ev.lm(m, plan).maxLength(), batchSize, bos ? "before every context" : "only for empty contexts (lm-eval)",
                limit > 0 ? ", first " + limit + " items per task" : "");
        long t0 = System.nanoTime();
        List<TaskScore> planScores = ev.score(m, plan, names);
        List<TaskScore> fullScores = modified && !noReference ? ev.score(m, full, names) : null;
        print(planScores, fullScores);
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
