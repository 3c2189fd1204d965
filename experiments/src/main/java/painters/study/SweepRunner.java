package painters.study;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxCandidatesCondition;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxTimeCondition;
import org.deeplearning4j.arbiter.optimize.api.termination.TerminationCondition;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import painters.eval.task.TaskData;
import painters.eval.task.TaskSpecs;
import painters.model.bert.BertLoader;
import painters.model.bert.BertModel;
import painters.model.plan.LayerPlan;
import painters.model.plan.Split;
import painters.model.plan.Variant;
import painters.sweep.SweepProgress;
import painters.sweep.SweepSpace;
import painters.sweep.SweepSpec;
import painters.training.CurvePoint;
import painters.training.FineTuneConfig;
import painters.training.FineTuner;
import painters.training.TrainingLoop;
import painters.training.UnfreezePolicy;

/**
 * A sweep of recovery runs: Arbiter generates candidates (grid or random over the sweep's parameter
 * spaces) and decides when to stop (max candidates, max time); each candidate is a fine-tuning run
 * scored on a validation share of the train split, stored in {@code results.jsonl} with its index and
 * parameters, so a killed sweep resumes without re-running finished candidates (the generators are
 * deterministic given the seed). The best candidate is then evaluated once on the task's test split
 * and written as a ready-to-run recovery study.
 */
public final class SweepRunner {

    private static final Logger log = LoggerFactory.getLogger(SweepRunner.class);

    /** A finished candidate. */
    record Result(int index, Map<String, Object> params, double score, long trainable, List<CurvePoint> curve) {}

    private SweepRunner() {}

    public static StudyRunner.Outcome run(StudySpec spec, Path dir) throws IOException {
        long t0 = System.nanoTime();
        SweepSpec sw = spec.sweep();
        BertModel m = BertLoader.load(spec.model());
        String taskName = sw.task() != null ? sw.task() : spec.tasks().get(0);
        Path dataDir = spec.data() == null ? null : Path.of(spec.data());
        TaskData data = TaskData.load(TaskSpecs.load(taskName, dataDir));
        Provenance prov = Provenance.of(m.id(), m.sha256(), spec.finetune().batchSize(), spec.maxLength());
        List<Result> results = new ArrayList<>();
        int resumed = 0;
        int computed = 0;
        try (ResultsStore store = ResultsStore.open(dir.resolve(StudyRunner.RESULTS))) {
            Map<String, JsonObject> done = finished(dir);
            CandidateGenerator gen = generator(sw);
            SweepProgress progress = new SweepProgress(sw.maximize());
            List<TerminationCondition> stop = new ArrayList<>();
            if (sw.maxCandidates() > 0) {
                stop.add(new MaxCandidatesCondition(sw.maxCandidates()));
            }
            if (sw.maxMinutes() > 0) {
                stop.add(new MaxTimeCondition(sw.maxMinutes(), TimeUnit.MINUTES));
            }
            stop.forEach(c -> c.initialize(progress));
            while (gen.hasMoreCandidates() && stop.stream().noneMatch(c -> c.terminate(progress))) {
                Candidate<?> c = gen.getCandidate();
                @SuppressWarnings("unchecked")
                Map<String, Object> params = (Map<String, Object>) c.getValue();
                String key = "sweep|c" + c.getIndex() + "|" + params;
                JsonObject prior = done.get(key);
                if (prior != null) {
                    results.add(new Result(c.getIndex(), params, prior.get("sweep_score").getAsDouble(),
                            prior.get("trainable_params").getAsLong(), List.of()));
                    progress.completed(c.getIndex(), prior.get("sweep_score").getAsDouble());
                    resumed++;
                    continue;
                }
                log.info("sweep {}: candidate {} {}", spec.name(), c.getIndex(), params);
                Run run = run(spec, m, data, params, sw.validation(), dir.resolve("runs").resolve("c" + c.getIndex()));
                double score = score(run.result().curve(), sw.score());
                results.add(new Result(c.getIndex(), params, score, run.result().trainableParameters(), run.result().curve()));
                store.append(key, rows(spec, prov, data, c.getIndex(), params, run, score, "validation"));
                progress.completed(c.getIndex(), score);
                computed++;
                log.info("sweep {}: candidate {} scored {} ({} so far; best {} = candidate {})", spec.name(), c.getIndex(),
                        String.format("%.4f", score), progress.numCandidatesCompleted(),
                        String.format("%.4f", progress.bestScore()), progress.bestScoreCandidateIndex());
            }
            if (results.isEmpty()) {
                throw new IllegalStateException("sweep " + spec.name() + " produced no candidates");
            }
            Result best = results.stream().reduce((a, b) -> sw.maximize() ? (b.score() > a.score() ? b : a)
                    : (b.score() < a.score() ? b : a)).orElseThrow();
            String testKey = "sweep|best-test|c" + best.index() + "|" + best.params();
            double test;
            if (done.containsKey(testKey)) {
                test = done.get(testKey).get("sweep_score").getAsDouble();
            } else {
                log.info("sweep {}: best candidate {} {}: evaluating on the test split", spec.name(), best.index(),
                        best.params());
                Run run = run(spec, m, data, best.params(), 0, dir.resolve("runs").resolve("best-test"));
                test = score(run.result().curve(), "final");
                store.append(testKey, rows(spec, prov, data, best.index(), best.params(), run, test, "test"));
            }
            SweepOutputs.write(dir, spec, results, best, test, taskName);
        }
        return new StudyRunner.Outcome(dir, results.size(), resumed, computed, (System.nanoTime() - t0) / 1e9);
    }

    static CandidateGenerator generator(SweepSpec sw) {
        SweepSpace space = new SweepSpace(sw.space());
        if (sw.generator().equals("grid")) {
            return new GridSearchCandidateGenerator(space, sw.gridPoints(), GridSearchCandidateGenerator.Mode.Sequential,
                    null);
        }
        RandomSearchGenerator r = new RandomSearchGenerator(space, null);
        r.setRngSeed(sw.seed());
        return r;
    }

    /** One fine-tuning run and the plan it ran. */
    record Run(TrainingLoop.Result result, String variant, int split, LayerPlan plan, UnfreezePolicy policy,
               FineTuneConfig config) {}

    static Run run(StudySpec spec, BertModel m, TaskData data, Map<String, Object> p, double validation, Path ck)
            throws IOException {
        RecoverySettings ft = spec.finetune();
        int t = m.config().numLayers();
        String variant = (String) p.getOrDefault("variant", spec.variants().isEmpty() ? "full" : spec.variants().get(0));
        Integer split = (Integer) p.getOrDefault("split", spec.splits().isEmpty() ? null : spec.splits().get(0));
        LayerPlan plan;
        Split sp = split == null ? null : new Split(t, split);
        if (variant.equals("full")) {
            plan = LayerPlan.identity(t);
        } else {
            if (sp == null) {
                throw new IllegalArgumentException("sweep: variant " + variant + " needs a split (sweep it or list one in "
                        + "\"splits\")");
            }
            plan = Variant.parse(variant).plan(sp, 0, spec.loops());
        }
        UnfreezePolicy policy = UnfreezePolicy.parse((String) p.getOrDefault("policy", ft.policies().get(0)));
        int steps = (Integer) p.getOrDefault("steps", ft.steps());
        int warm = (Integer) p.getOrDefault("warmupSteps", ft.warmupSteps() >= 0 ? ft.warmupSteps() : steps / 10);
        FineTuneConfig cfg = new FineTuneConfig(((Number) p.getOrDefault("learningRate", ft.learningRate())).doubleValue(),
                Math.min(warm, steps), ft.schedule(), steps, (Integer) p.getOrDefault("batchSize", ft.batchSize()),
                ft.gradAccum(), ft.clipNorm(), ((Number) p.getOrDefault("weightDecay", ft.weightDecay())).doubleValue(),
                spec.headSeeds().get(0), Math.min(ft.evalEvery(), steps), Double.NaN, ft.checkpointEvery(), ft.untie(),
                policy, ft.trainMax(), spec.maxLength());
        TrainingLoop.Result r = new FineTuner(m, data, plan, sp, cfg, validation).run(ck);
        return new Run(r, variant, split == null ? -1 : split, plan, policy, cfg);
    }

    static double score(List<CurvePoint> curve, String how) {
        if (how.equals("final")) {
            return curve.get(curve.size() - 1).primary();
        }
        return painters.training.RecoveryMetrics.of(curve.stream().map(CurvePoint::step).toList(),
                curve.stream().map(CurvePoint::primary).toList(), Double.NaN, Double.NaN).auc();
    }

    static List<JsonObject> rows(StudySpec spec, Provenance p, TaskData data, int index, Map<String, Object> params,
                                 Run run, double score, String split) {
        List<JsonObject> rows = new ArrayList<>();
        String now = Instant.now().toString();
        JsonObject par = new JsonObject();
        params.forEach((k, v) -> par.addProperty(k, String.valueOf(v)));
        for (CurvePoint pt : run.result().curve()) {
            JsonObject o = new JsonObject();
            o.addProperty("study", spec.name());
            o.addProperty("model", p.modelId());
            o.addProperty("model_sha256", p.modelSha256());
            o.addProperty("candidate", index);
            o.add("params", par);
            o.addProperty("scored_on", split);
            o.addProperty("variant", run.variant());
            o.addProperty("split", run.split());
            o.addProperty("plan", run.plan().print());
            o.addProperty("policy", run.policy().print());
            o.addProperty("learning_rate", run.config().learningRate());
            o.addProperty("steps", run.config().steps());
            o.addProperty("task", data.spec().name());
            o.addProperty("data_sha256", data.checksum());
            o.addProperty("trainable_params", run.result().trainableParameters());
            o.addProperty("step", pt.step());
            o.addProperty("tokens", pt.tokens());
            o.addProperty("metric", data.spec().primary().id());
            o.addProperty("value", pt.primary());
            o.addProperty("sweep_score", score);
            o.addProperty("backend", p.backend());
            o.addProperty("git_commit", p.gitCommit());
            o.addProperty("timestamp", now);
            rows.add(o);
        }
        return rows;
    }

    /** The first row of every finished cell of an earlier run, by cell key. */
    static Map<String, JsonObject> finished(Path dir) throws IOException {
        Map<String, JsonObject> out = new LinkedHashMap<>();
        for (String line : ResultsStore.readRows(dir.resolve(StudyRunner.RESULTS))) {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            out.putIfAbsent(o.get("cell").getAsString(), o);
        }
        return out;
    }

    static String pretty(JsonObject o) {
        return new GsonBuilder().setPrettyPrinting().create().toJson(o) + "\n";
    }
}
