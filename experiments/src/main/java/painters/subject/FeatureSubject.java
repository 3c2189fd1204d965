package painters.subject;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.LoggerFactory;
import painters.eval.head.Featurizer;
import painters.eval.head.HeadConfig;
import painters.eval.head.PairEncoding;
import painters.eval.head.PrefixCache;
import painters.eval.head.TaskEvaluator;
import painters.eval.lm.LanguageModel;
import painters.eval.metric.Metric;
import painters.eval.route.RouteData;
import painters.eval.task.Example;
import painters.eval.task.TaskData;
import painters.eval.task.TaskKind;
import painters.eval.task.TaskScore;
import painters.eval.task.TaskSpecs;
import painters.model.UserInputException;
import painters.model.family.LoadedModel;
import painters.model.family.SentenceEncoder;
import painters.model.plan.LayerPlan;
import painters.model.plan.Split;
import painters.model.repair.LinearRepair;
import painters.model.tokenizer.HfTokenizer;
import painters.training.CurvePoint;
import painters.training.FineTuneConfig;
import painters.training.FineTuner;
import painters.training.TrainingLoop;

/**
 * The protocol of a sentence-feature model (an encoder), the paper's frozen-encoder protocol: each task
 * is scored by a linear head trained on the plan's frozen pooled features (or zero-shot cosine for
 * similarity tasks); fine-tuning trains a task head on each task with the unfrozen blocks, starting
 * from the frozen protocol's head.
 */
final class FeatureSubject implements Subject {

    private final SentenceEncoder m;
    private final SubjectSettings s;
    private final Map<String, TaskData> data = new LinkedHashMap<>();

    FeatureSubject(SentenceEncoder m, SubjectSettings s) {
        this.m = m;
        this.s = s;
        List<String> names = s.tasks() == null ? (s.data() != null ? TaskSpecs.BUILT_IN : TaskSpecs.EMBEDDED)
                : s.tasks();
        for (String task : names) {
            data.put(task, TaskData.load(TaskSpecs.load(task, s.data())));
        }
    }

    private FeatureSubject(SentenceEncoder m, SubjectSettings s, Map<String, TaskData> data) {
        this.m = m;
        this.s = s;
        this.data.putAll(data);
    }

    /** Each task's validation view (a seeded share of its train split scored, the rest trained on). */
    @Override
    public Subject validation(double share, long seed) {
        Map<String, TaskData> v = new LinkedHashMap<>();
        data.forEach((name, d) -> v.put(name, d.validation(share, seed)));
        return new FeatureSubject(m, s, v);
    }

    /** How pairs are read: the setting, auto resolved for this model. */
    private PairEncoding pairs() {
        return s.pairs().resolve(m.biEncoder());
    }

    /** Whether a task's head reads a pair (two texts; a zero-shot similarity task always encodes them alone). */
    private boolean pairTask(TaskData d) {
        return d.spec().text().size() == 2 && d.spec().kind() != TaskKind.SIMILARITY;
    }

    @Override
    public LoadedModel model() {
        return m;
    }

    @Override
    public List<String> tasks() {
        return List.copyOf(data.keySet());
    }

    @Override
    public String protocol() {
        HeadConfig head = HeadConfig.frozenProtocol(s.headSeeds().get(0));
        return String.format(Locale.ROOT, "linear head on frozen %s features, lr %.0e, %d epochs (at least %d steps), "
                + "batch %d, head seeds %s%s; similarity tasks zero-shot%s", m.pooling(), head.learningRate(), head.epochs(),
                head.minSteps(), head.batchSize(), s.headSeeds(), s.trainMax() > 0 ? ", train-max " + s.trainMax() : "",
                data.values().stream().anyMatch(this::pairTask) ? "; pairs " + (pairs() == PairEncoding
                        .SEPARATE ? "encoded text by text, head on [u, v, |u-v|, u*v]" : "encoded together") : "");
    }

    /** Sentence features are not a next-token distribution. */
    @Override
    public Optional<LanguageModel> languageModel(LayerPlan plan) {
        return Optional.empty();
    }

    @Override
    public Map<String, String> identity() {
        Map<String, String> id = new LinkedHashMap<>();
        HeadConfig head = HeadConfig.frozenProtocol(0);
        // "decaying linearly to 0" since the head's schedule does (before, ND4J's PolySchedule raised it to 2x):
        // a results folder of the earlier schedule is not resumed into
        id.put("protocol", String.format(Locale.ROOT, "linear head on %s features: lr %s%s, %d epochs, >= %d steps, batch %d",
                m.pooling(), head.learningRate(), head.linearDecay() ? " decaying linearly to 0" : "", head.epochs(),
                head.minSteps(), head.batchSize()));
        data.forEach((name, d) -> id.put("data:" + name, d.checksum() + " v" + d.spec().version()));
        if (data.values().stream().anyMatch(this::pairTask)) {
            id.put("pairs", pairs().id());                  // absent in folders from before: joint (RunIdentity.IMPLIED)
        }
        return id;
    }

    /** With prefix sharing on, the plans' common prefixes are computed once (see {@link PrefixCache}). */
    @Override
    public Scorers scorers(List<LayerPlan> plans) {
        PrefixCache cache = s.prefixCache() && !plans.isEmpty() ? new PrefixCache(m, plans) : null;
        return () -> scorer(cache);
    }

    private Scorer scorer(PrefixCache shared) {
        HfTokenizer tok = m.tokenizer().withMaxLength(s.maxLength());
        return new Scorer() {
            @Override
            public PlanScorer plan(LayerPlan plan) {
                Featurizer f = Featurizer.of(m, plan, tok, s.batchSize(), shared);
                return new PlanScorer() {
                    @Override
                    public TaskScore score(String task, long headSeed) {
                        return TaskEvaluator.evaluate(task(task), f, HeadConfig.frozenProtocol(headSeed), s.trainMax(),
                                pairs());
                    }

                    @Override
                    public void done() {
                        f.close();
                        if (shared != null) {
                            shared.release(plan);
                        }
                    }
                };
            }

            @Override
            public void close() {
                tok.close();
            }
        };
    }

    /**
     * Each classification task with a train split: a router is trained per task, on the frozen protocol's heads
     * (the others, zero-shot similarity or regression, are left out with a log line; none left is an error).
     */
    @Override
    public List<String> routeTargets(RouteRequest request) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, TaskData> e : data.entrySet()) {
            if (e.getValue().spec().kind() == TaskKind.CLASSIFICATION && e.getValue().train() != null) {
                out.add(e.getKey());
            } else {
                LoggerFactory.getLogger(FeatureSubject.class).info("{}: no router (routers are trained on "
                        + "classification tasks with a train split)", e.getKey());
            }
        }
        if (out.isEmpty()) {
            throw new UserInputException("none of the tasks " + tasks() + " is a classification task with a train "
                    + "split, which a router is trained on");
        }
        return out;
    }

    @Override
    public RouteData routing(String target, RouteRequest request) {
        return EncoderRouting.compute(m, s, task(target), request);
    }

    private TaskData task(String name) {
        TaskData d = data.get(name);
        if (d == null) {
            throw new UserInputException("task " + name + " is not one of this subject's tasks " + tasks());
        }
        return d;
    }

    @Override
    public String fineTuneProtocol() {
        return "Each task with a train split is a separate run. Step 0 is the frozen model with its linear-probe head "
                + "(the frozen protocol), which also starts the fine-tuning head.";
    }

    /**
     * Calibration: the first {@code texts} training examples of the fine-tuning tasks, taken in turn (each text of a
     * pair on its own), never a scored item.
     */
    @Override
    public Optional<Repaired> repairedFor(LayerPlan plan, int texts, double ridge) {
        if (!LinearRepair.applies(m, plan)) {
            return Optional.empty();
        }
        List<String> calibration = new ArrayList<>();
        List<List<Example>> train = fineTuneTargets().stream().map(t -> task(t).train()).toList();
        for (int k = 0; calibration.size() < texts; k++) {
            boolean any = false;
            for (List<Example> examples : train) {
                if (k < examples.size() && calibration.size() < texts) {
                    calibration.addAll(examples.get(k).texts());
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        LinearRepair r = LinearRepair.fit(m, plan, calibration, s.batchSize(), s.maxLength(), ridge);
        return Optional.of(new Repaired(new FeatureSubject((SentenceEncoder) r.apply(m), s, data), r));
    }

    /** Each task with a train split is a separate run. */
    @Override
    public List<String> fineTuneTargets() {
        return tasks();
    }

    @Override
    public TrainingLoop.Result fineTune(LayerPlan plan, Split split, String target, FineTuneConfig cfg, double validation,
                                        Path checkpoints) throws IOException {
        return new FineTuner(m, task(target), plan, split, cfg, validation).run(checkpoints);
    }

    @Override
    public List<CurveScore> curveScores(String target, CurvePoint p) {
        TaskData d = task(target);
        List<CurveScore> out = new ArrayList<>();
        for (Map.Entry<Metric, Double> e : p.scores().entrySet()) {
            out.add(new CurveScore(d.spec().name(), d.spec().version(), d.checksum(), e.getKey().id(), e.getValue(),
                    e.getKey() == d.spec().primary(), d.spec().chance(), d.eval().size(), p.stderrOf(null, e.getKey())));
        }
        return out;
    }
}
