package painters.study.sweep;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxTimeCondition;
import org.deeplearning4j.arbiter.optimize.api.termination.TerminationCondition;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import painters.model.UserInputException;
import painters.model.family.LoadedModel;
import painters.model.plan.LayerPlan;
import painters.model.plan.Split;
import painters.model.plan.Variant;
import painters.results.Provenance;
import painters.results.ResultRow;
import painters.results.Results;
import painters.results.ResultsStore;
import painters.study.AskAndTell;
import painters.study.StudyKind;
import painters.study.StudySpec;
import painters.study.Unit;
import painters.study.finetune.CurveRows;
import painters.study.finetune.RecoverySettings;
import painters.subject.Subject;
import painters.sweep.SweepProgress;
import painters.sweep.SweepSpace;
import painters.sweep.SweepSpec;
import painters.training.CurvePoint;
import painters.training.FineTuneConfig;
import painters.training.RecoveryMetrics;
import painters.training.TrainingLoop;
import painters.training.UnfreezePolicy;

/**
 * A sweep of recovery runs: Arbiter generates candidates (grid or random over the sweep's parameter
 * spaces) and decides when to stop (max candidates, max time); each candidate is a fine-tuning run of
 * the subject scored on a validation share of its training data, stored with its index and
 * parameters, so a killed sweep resumes without re-running finished candidates (the generators are
 * deterministic given the seed). The best candidate is then run once on the test data and written as
 * a ready-to-run recovery study. Any model family: the subject fine-tunes.
 */
final class SweepKind implements StudyKind {

    private static final Logger log = LoggerFactory.getLogger(SweepKind.class);

    private final StudySpec spec;
    private final Subject subject;
    private final SweepSpec sw;
    private final String target;
    private final Provenance prov = Provenance.current();
    private final List<Result> results = new ArrayList<>();
    private final SweepProgress progress;
    /** Candidates handed out and not yet stored: their parameters, by index. */
    private final Map<Integer, Map<String, Object>> handedOut = new ConcurrentHashMap<>();
    private volatile Path dir;
    private volatile double test = Double.NaN;

    /** Candidates that cannot run (a policy that trains nothing of the plan), in the order they came: not trained. */
    private final List<Infeasible> infeasible = new ArrayList<>();

    /** A finished candidate. */
    record Result(int index, Map<String, Object> params, double score, long trainable) {}

    /** A candidate left out because its combination of parameters cannot run, and why. */
    record Infeasible(int index, Map<String, Object> params, String reason) {}

    SweepKind(StudySpec spec, Subject subject) {
        this.spec = spec;
        this.subject = subject;
        this.sw = spec.settings(SweepSettings.class).sweep();
        List<String> targets = subject.fineTuneTargets();
        if (sw.task() != null && !targets.contains(sw.task())) {
            throw new UserInputException("sweep.task " + sw.task() + " is not one of what " + subject.model().id()
                    + " is fine-tuned on: " + targets);
        }
        this.target = sw.task() != null ? sw.task() : targets.get(0);
        for (int s : sw.splitBounds()) {                     // before any candidate trains
            try {
                new Split(subject.model().numLayers(), s);
            } catch (IllegalArgumentException e) {
                throw new UserInputException("sweep.space.split: " + e.getMessage(), e);
            }
        }
        this.progress = new SweepProgress(sw.maximize());
    }

    /** A candidate (validation) or the best candidate's run on the test data. */
    record Candidate(int index, Map<String, Object> params, boolean onTest) implements Unit {
        String key() {
            return onTest ? "sweep|best-test|c" + index + "|" + params : "sweep|c" + index + "|" + params;
        }

        @Override
        public List<String> keys() {
            return List.of(key());
        }

        @Override
        public String label() {
            return (onTest ? "best on test: " : "candidate " + index + " ") + params;
        }
    }

    @Override
    public String name() {
        return "sweep";
    }

    @Override
    public Units units(ResultsStore store) throws IOException {
        prepare(store.file().toAbsolutePath().getParent(), List.of());
        Map<String, ResultRow> done = new LinkedHashMap<>();
        for (ResultRow r : Results.read(store.file())) {
            done.putIfAbsent(r.cell(), r);
        }
        CandidateGenerator gen = generator(sw);
        List<TerminationCondition> stop = new ArrayList<>();
        if (sw.maxMinutes() > 0) {
            stop.add(new MaxTimeCondition(sw.maxMinutes(), TimeUnit.MINUTES));
        }
        stop.forEach(c -> c.initialize(progress));
        int[] resumed = {0};
        int grid = gen instanceof GridSearchCandidateGenerator g ? g.getTotalNumCandidates() : 0;
        int capped = sw.maxCandidates() > 0 ? (grid > 0 ? Math.min(grid, sw.maxCandidates()) : sw.maxCandidates()) : grid;
        // candidates and the best one's test run; 0 when not known in advance (a random sweep stopped by time)
        int expected = capped > 0 && sw.maxMinutes() == 0 ? capped + 1 : 0;
        boolean[] testAsked = {false};
        AskAndTell.Stage candidates = () -> {
            // candidates handed out count towards maxCandidates while they run (Arbiter's condition counts
            // finished ones only, which would overshoot when candidates run at once)
            while (gen.hasMoreCandidates() && (sw.maxCandidates() <= 0
                    || progress.numCandidatesCompleted() + progress.numCandidatesQueued() < sw.maxCandidates())
                    && stop.stream().noneMatch(c -> c.terminate(progress))) {
                org.deeplearning4j.arbiter.optimize.api.Candidate<?> c = gen.getCandidate();
                @SuppressWarnings("unchecked")
                Map<String, Object> params = (Map<String, Object>) c.getValue();
                Candidate u = new Candidate(c.getIndex(), new LinkedHashMap<>(params), false);
                String why = infeasibility(u.params());
                if (why != null) {                          // recorded and skipped; the search goes on
                    synchronized (SweepKind.this) {
                        infeasible.add(new Infeasible(u.index(), u.params(), why));
                    }
                    log.warn("sweep {}: candidate {} {} cannot run, left out: {}", spec.name(), u.index(), u.params(),
                            why);
                    continue;
                }
                ResultRow prior = done.get(u.key());
                if (prior != null) {                        // finished before this run: its score counts
                    synchronized (SweepKind.this) {
                        results.add(new Result(u.index(), u.params(), prior.sweep().sweepScore(),
                                prior.training().trainableParams()));
                    }
                    progress.resumed(u.index(), prior.sweep().sweepScore());
                    resumed[0]++;
                    continue;
                }
                handedOut.put(u.index(), u.params());
                progress.handedOut();
                log.info("sweep {}: candidate {} {}", spec.name(), u.index(), u.params());
                return AskAndTell.Ask.hand(u);
            }
            return AskAndTell.Ask.OVER;
        };
        AskAndTell.Stage bestOnTest = AskAndTell.afterAllStored(() -> {
            if (testAsked[0]) {
                return AskAndTell.Ask.OVER;
            }
            testAsked[0] = true;
            Result best;
            synchronized (SweepKind.this) {
                if (results.isEmpty()) {
                    throw new IllegalStateException("sweep " + spec.name() + " produced no candidates");
                }
                best = best();
            }
            Candidate t = new Candidate(best.index(), best.params(), true);
            ResultRow prior = done.get(t.key());
            if (prior != null) {
                test = prior.sweep().sweepScore();
                resumed[0]++;
                return AskAndTell.Ask.OVER;
            }
            log.info("sweep {}: best candidate {} {}: running it on the test data", spec.name(), best.index(),
                    best.params());
            return AskAndTell.Ask.hand(t);
        });
        return new AskAndTell(List.of(candidates, bestOnTest), () -> {
            synchronized (SweepKind.this) {
                return testAsked[0] ? results.size() + 1 : Math.max(0, expected - infeasible.size());
            }
        }, () -> resumed[0]);
    }

    /** Candidates' runs keep their checkpoints under {@code dir/runs}. */
    @Override
    public void prepare(Path dir, List<? extends Unit> units) {
        this.dir = dir;
    }

    /** A finished candidate's score counts towards the search; the test run's is the sweep's result. */
    @Override
    public void stored(String key, List<ResultRow> rows) {
        ResultRow.Sweep r = rows.get(0).sweep();
        if (r.scoredOn().equals("test")) {
            test = r.sweepScore();
            return;
        }
        Map<String, Object> params = handedOut.remove(r.candidate());
        synchronized (this) {
            results.add(new Result(r.candidate(), params, r.sweepScore(), rows.get(0).training().trainableParams()));
        }
        progress.completed(r.candidate(), r.sweepScore());
        log.info("sweep {}: candidate {} scored {} ({} so far; best {} = candidate {})", spec.name(), r.candidate(),
                String.format("%.4f", r.sweepScore()), progress.numCandidatesCompleted(),
                String.format("%.4f", progress.bestScore()), progress.bestScoreCandidateIndex());
    }

    Result best() {
        return results.stream().reduce((a, b) -> sw.maximize() ? (b.score() > a.score() ? b : a)
                : (b.score() < a.score() ? b : a)).orElseThrow();
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

    @Override
    public Worker worker() {
        return (unit, sink) -> {
            Candidate c = (Candidate) unit;
            if (!c.onTest()) {
                Run run = run(c.params(), sw.validation(), dir.resolve("runs").resolve("c" + c.index()));
                sink.store(c.key(), rows(c, run, score(run.result().curve(), sw.score()), "validation"), c.label());
            } else {
                Run run = run(c.params(), 0, dir.resolve("runs").resolve("best-test"));
                sink.store(c.key(), rows(c, run, score(run.result().curve(), "final"), "test"), c.label());
            }
        };
    }

    /** One fine-tuning run and the plan it ran. */
    record Run(TrainingLoop.Result result, String variant, int split, LayerPlan plan, UnfreezePolicy policy,
               FineTuneConfig config) {}

    /** What a candidate runs: its parameters over the study's finetune settings (and first variant, split, policy). */
    record Planned(String variant, Integer split, Split sp, LayerPlan plan, UnfreezePolicy policy, FineTuneConfig cfg) {}

    Planned planned(Map<String, Object> p) {
        RecoverySettings ft = spec.settings(SweepSettings.class).finetune();
        int t = subject.model().numLayers();
        String variant = (String) p.getOrDefault("variant", spec.variants().isEmpty() ? "full" : spec.variants().get(0));
        Integer split = (Integer) p.getOrDefault("split", spec.splits().isEmpty() ? null : spec.splits().get(0));
        LayerPlan plan;
        Split sp = split == null ? null : new Split(t, split);
        if (variant.equals("full")) {
            plan = LayerPlan.identity(t);
        } else {
            if (sp == null) {
                throw new UserInputException("sweep: variant " + variant + " needs a split (sweep it or list one in "
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
                policy, ft.trainMax(), spec.maxLength(), ft.method());
        return new Planned(variant, split, sp, plan, policy, cfg);
    }

    /**
     * Why a candidate cannot run (its policy trains nothing its plan runs, e.g. "middle" with "skip"), or null: checked
     * before it is handed out, so an impossible corner of the space is recorded and skipped instead of ending the sweep.
     */
    String infeasibility(Map<String, Object> p) {
        try {
            Planned r = planned(p);
            r.policy().unfreezing(subject.model().weights().layout(), r.plan(), r.sp(), r.cfg().untie());
            return null;
        } catch (UserInputException e) {
            return e.getMessage();
        }
    }

    /** A candidate's run. */
    Run run(Map<String, Object> p, double validation, Path ck) throws IOException {
        Planned r = planned(p);
        TrainingLoop.Result res = subject.fineTune(r.plan(), r.sp(), target, r.cfg(), validation, ck);
        return new Run(res, r.variant(), r.split() == null ? -1 : r.split(), r.plan(), r.policy(), r.cfg());
    }

    static double score(List<CurvePoint> curve, String how) {
        if (how.equals("final")) {
            return curve.get(curve.size() - 1).primary();
        }
        return RecoveryMetrics.of(curve.stream().map(CurvePoint::step).toList(),
                curve.stream().map(CurvePoint::primary).toList(), Double.NaN, Double.NaN).auc();
    }

    /** One row per curve point of the run's primary score (the value the sweep is scored on). */
    List<ResultRow> rows(Candidate c, Run run, double score, String scoredOn) {
        LoadedModel m = subject.model();
        JsonObject par = new JsonObject();
        c.params().forEach((k, v) -> par.addProperty(k, String.valueOf(v)));
        Provenance.Run where = prov.run(run.config().trainMax(), run.config().batchSize(), spec.maxLength());
        ResultRow.PlanPart plan = new ResultRow.PlanPart(run.plan().print(), run.variant(), run.split(),
                run.variant().equals("full") ? 0 : run.split() >= 0 ? new Split(m.numLayers(), run.split()).affected() : -1,
                -1, -1, -1, run.plan().depth(), run.plan().applications());
        ResultRow.Sweep sweep = new ResultRow.Sweep(c.index(), par, scoredOn, score, run.config().learningRate(),
                run.config().steps());
        double flops = m.trainingFlopsPerToken(run.plan(), spec.maxLength());
        List<ResultRow> rows = new ArrayList<>();
        for (CurvePoint pt : run.result().curve()) {
            Subject.CurveScore primary = subject.curveScores(target, pt).stream().filter(Subject.CurveScore::primary)
                    .findFirst().orElseThrow();
            ResultRow.Training t = CurveRows.training(run.policy(), run.result(), pt,
                    spec.settings(SweepSettings.class).finetune().toJson().toString(), flops);
            rows.add(new ResultRow(null, spec.name(), m.id(), m.sha256(), plan, new ResultRow.Score(primary.task(),
                    primary.version(), primary.dataChecksum(), spec.headSeeds().get(0), primary.metric(), primary.value(),
                    true, primary.chance(), primary.n(), "sweep candidate, scored on " + scoredOn, 0, false,
                    primary.stderr()), t, sweep, where));
        }
        return rows;
    }

    @Override
    public void outputs(Path dir) throws IOException {
        SweepOutputs.write(dir, spec, results, infeasible, best(), test, target);
    }

    static String pretty(JsonObject o) {
        return new GsonBuilder().setPrettyPrinting().create().toJson(o) + "\n";
    }
}
