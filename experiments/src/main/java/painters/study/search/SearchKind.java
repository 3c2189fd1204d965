package painters.study.search;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.generator.GeneticSearchCandidateGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import painters.eval.analysis.PlanLatency;
import painters.eval.metric.Metric;
import painters.eval.task.TaskScore;
import painters.model.family.HiddenStates;
import painters.model.family.LoadedModel;
import painters.model.plan.LayerPlan;
import painters.model.plan.PlanGenes;
import painters.model.plan.PlanPrefixes;
import painters.model.plan.Split;
import painters.model.plan.Variant;
import painters.model.tokenizer.TokenBatch;
import painters.results.Provenance;
import painters.results.ResultRow;
import painters.results.Results;
import painters.results.ResultsStore;
import painters.study.AskAndTell;
import painters.study.StudyKind;
import painters.study.StudySpec;
import painters.study.Unit;
import painters.study.figures.Pareto;
import painters.subject.Subject;
import painters.sweep.PlanSearchGenerators;

/**
 * A search over plans of the frozen model (study key {@code search}): Arbiter's genetic search, or its random
 * search as the baseline, proposes plans as genes ({@link PlanGenes}: skip, run, repeat or join a parallel step,
 * per block); each plan within the depth limit is scored on validation views of the tasks (a seeded share of each
 * train split held out, {@link Subject#validation}), its objective the mean primary score over the tasks. The
 * paper's six variants at every split and the full model are scored the same way. Then every plan on the
 * validation Pareto front of score against block applications (the search's front and the paper's) is scored
 * once on the tasks' own scored splits, and its forward latency is measured on this machine.
 *
 * <p>Candidates are drawn in batches; a batch's plans share their common prefixes. The genetic search draws a
 * batch from its population, waits for its scores, then draws the next; a resumed search replays the seeded
 * generator and the stored scores, computing only what is missing. A plan proposed again is not scored again.
 */
final class SearchKind implements StudyKind {

    private static final Logger log = LoggerFactory.getLogger(SearchKind.class);
    static final String VALIDATION = "validation";
    static final String TEST = "test";

    private final StudySpec spec;
    private final Subject subject;
    private final SearchSettings st;
    private final Provenance prov = Provenance.current();
    private volatile Subject validation;
    /** Validation objective (mean primary score over tasks), by plan computation. */
    final Map<String, Double> objective = new ConcurrentHashMap<>();
    /** Every scored plan, by origin, in the order it was scored. */
    final List<Entry> entries = Collections.synchronizedList(new ArrayList<>());
    /** Arbiter candidates waiting for the validation score of a plan computation (the genetic search learns from them). */
    private final Map<String, List<Candidate<?>>> waiting = new ConcurrentHashMap<>();
    /** Keys handed out and not yet stored, with their plans. */
    private final Map<String, Cand> handedOut = new ConcurrentHashMap<>();
    private final Set<String> pendingPlans = ConcurrentHashMap.newKeySet();
    private volatile CandidateGenerator gen;
    /** Candidates drawn from the generator so far. */
    private int handed;
    /** The run's loop (its stages ask whether units are outstanding). */
    private volatile AskAndTell loop;

    /** A scored plan: where it came from, its validation objective (+- se). */
    record Entry(String origin, int index, int split, LayerPlan plan, double objective, double stderr) {}

    /** A plan to score: a search candidate (origin random or genetic, Arbiter's index) or a reference. */
    record Cand(int index, String origin, int split, LayerPlan plan) implements Serializable {
        String key(String on) {
            return "search|" + on + "|" + origin + "|c" + index + "|" + plan.print();
        }
    }

    /**
     * Plans scored together ({@code on} validation: the tasks' validation views; on test: the fronts' plans on the
     * tasks' own scored splits, with their measured latency); their shared prefixes are computed once.
     */
    record Plans(List<Cand> cands, String on) implements Unit {
        @Override
        public List<String> keys() {
            return cands.stream().map(c -> c.key(on)).toList();
        }

        @Override
        public String label() {
            return on + ": " + cands.size() + " plan(s)";
        }
    }

    SearchKind(StudySpec spec, Subject subject) {
        this.spec = spec;
        this.subject = subject;
        this.st = spec.settings(SearchSettings.class);
    }

    @Override
    public String name() {
        return "search";
    }

    private Subject validationSubject() {
        if (validation == null) {
            synchronized (this) {
                if (validation == null) {
                    validation = subject.validation(st.validation(), st.seed());
                }
            }
        }
        return validation;
    }

    /**
     * The reference plans: the full model and the study's variants (the paper's six by default) at its splits
     * (every valid one by default), one random order (seed 0) per split.
     */
    List<Cand> paperPlans() {
        int t = subject.model().numLayers();
        List<Cand> out = new ArrayList<>();
        out.add(new Cand(0, "full", -1, LayerPlan.identity(t)));
        int i = 1;
        List<Split> splits = spec.splits().isEmpty() ? Split.all(t)
                : spec.splits().stream().map(x -> new Split(t, x)).toList();
        for (String id : spec.variants()) {
            Variant v = Variant.parse(id);
            for (Split sp : splits) {
                out.add(new Cand(i++, v.id(), sp.s(), v.plan(sp, 0, spec.loops())));
            }
        }
        return out;
    }

    private int genes() {
        int t = subject.model().numLayers();
        return st.order() > 0 ? 2 * t : t;
    }

    /**
     * The plan a candidate's genes name, if it runs a block and keeps within the depth limit; with repair, a plan too
     * deep is repaired to the limit ({@link PlanGenes#decodeWithin}; the candidate's genes, which the genetic search
     * breeds from, stay as proposed).
     */
    Optional<LayerPlan> plan(double[] g) {
        int t = subject.model().numLayers();
        Set<Integer> fixed = st.fixedEnds() ? Set.of(0, t - 1) : Set.of();
        int max = st.maxDepth() > 0 ? st.maxDepth() : t;
        if (st.repair()) {
            return PlanGenes.decodeWithin(t, g, fixed, st.order(), max);
        }
        return PlanGenes.decode(t, g, fixed, st.order()).filter(p -> p.depth() <= max);
    }

    @Override
    public Units units(ResultsStore store) throws IOException {
        prepare(store.file().toAbsolutePath().getParent(), List.of());
        Map<String, List<ResultRow>> done = new LinkedHashMap<>();
        for (ResultRow r : Results.read(store.file())) {
            done.computeIfAbsent(r.cell(), k -> new ArrayList<>()).add(r);
        }
        gen = PlanSearchGenerators.of(st.generator(), genes(), st.population(), st.seed());
        int[] resumed = {0};
        boolean[] asked = {false, false};
        // the paper's variants at every split and the full model, one batch
        AskAndTell.Stage references = () -> {
            if (asked[0] || !st.paper()) {
                return AskAndTell.Ask.OVER;
            }
            asked[0] = true;
            Plans b = batch(paperPlans(), done, resumed);
            return b == null ? AskAndTell.Ask.OVER : AskAndTell.Ask.hand(b);
        };
        // the generator's candidates, a batch at a time; the genetic search's next generation learns from this one's
        AskAndTell.Stage search = () -> {
            while (true) {
                if (st.generator().equals("genetic") && loop.outstanding()) {
                    return AskAndTell.Ask.WAIT;
                }
                List<Cand> draw = draw();
                if (draw.isEmpty()) {
                    return AskAndTell.Ask.OVER;
                }
                Plans b = batch(draw, done, resumed);
                if (b != null) {
                    return AskAndTell.Ask.hand(b);
                }
            }
        };
        // the fronts need every validation score
        AskAndTell.Stage finals = AskAndTell.afterAllStored(() -> {
            if (asked[1]) {
                return AskAndTell.Ask.OVER;
            }
            asked[1] = true;
            List<Cand> onTest = new ArrayList<>();
            for (Cand c : fronts()) {
                if (done.containsKey(c.key(TEST))) {
                    resumed[0]++;
                } else {
                    onTest.add(c);
                    handedOut.put(c.key(TEST), c);
                }
            }
            if (onTest.isEmpty()) {
                return AskAndTell.Ask.OVER;
            }
            log.info("search {}: {} plan(s) on the validation fronts, scored on test with their latency", spec.name(),
                    onTest.size());
            return AskAndTell.Ask.hand(new Plans(onTest, TEST));
        });
        loop = new AskAndTell(List.of(references, search, finals), () -> 0, () -> resumed[0]);
        return loop;
    }

    /** Up to a batch of new plans from the generator (invalid and repeated ones answered at once). */
    private List<Cand> draw() {
        List<Cand> draw = new ArrayList<>();
        while (draw.size() < st.batch() && handed < st.candidates() && gen.hasMoreCandidates()) {
            Candidate<?> c = gen.getCandidate();
            handed++;
            Optional<LayerPlan> p = plan((double[]) c.getValue());
            if (p.isEmpty()) {
                report(c, Double.NEGATIVE_INFINITY);     // no block runs, or deeper than the limit
                continue;
            }
            String ck = p.get().computationKey();
            waiting.computeIfAbsent(ck, k -> new ArrayList<>()).add(c);
            if (objective.containsKey(ck)) {
                resolve(ck, p.get().applications());     // proposed before: its score is known
            } else if (draw.stream().noneMatch(d -> d.plan().computationKey().equals(ck))
                    && !pendingPlans.contains(ck)) {
                draw.add(new Cand(c.getIndex(), st.generator(), -1, p.get()));
            }
        }
        return draw;
    }

    private void handOut(String key, Cand c) {
        handedOut.put(key, c);
        pendingPlans.add(c.plan().computationKey());
    }

    /**
     * The plans of {@code cands} still to score, as a batch in plan-trie order; those already stored count their
     * stored objective (a resumed search) and are left out. Null when none is left.
     */
    private Plans batch(List<Cand> cands, Map<String, List<ResultRow>> done, int[] resumed) {
        // a batch's scores reach the generator in the order its plans are computed (plan-trie order): a resumed
        // search replays the stored ones in that order too, so the seeded generator proposes what it proposed then
        List<Cand> ordered = new ArrayList<>(cands);
        ordered.sort(Comparator.comparing(Cand::plan, PlanPrefixes.TRIE_ORDER));
        List<Cand> todo = new ArrayList<>();
        for (Cand c : ordered) {
            List<ResultRow> prior = done.get(c.key(VALIDATION));
            handOut(c.key(VALIDATION), c);
            if (prior != null) {
                stored(c.key(VALIDATION), prior);
                resumed[0]++;
            } else {
                todo.add(c);
            }
        }
        return todo.isEmpty() ? null : new Plans(todo, VALIDATION);
    }

    private void report(Candidate<?> c, double score) {
        if (gen instanceof GeneticSearchCandidateGenerator g) {
            g.reportResults(new OptimizationResult(c, score, c.getIndex(), null, null, null));
        }
    }

    /**
     * Tells the generator the score of every candidate that proposed this plan computation: its objective, less the
     * cost-aware search's penalty per block application of the plan.
     */
    private void resolve(String computationKey, int applications) {
        List<Candidate<?>> cs = waiting.remove(computationKey);
        if (cs != null) {
            double score = objective.get(computationKey) - st.penalty() * applications;
            for (Candidate<?> c : cs) {
                report(c, score);
            }
        }
    }

    @Override
    public void prepare(Path dir, List<? extends Unit> units) {
    }

    /** A plan's validation rows: its objective counts (the generator learns it); test rows close the search. */
    @Override
    public synchronized void stored(String key, List<ResultRow> rows) {
        Cand c = handedOut.remove(key);
        ResultRow first = rows.get(0);
        if (c == null || !first.sweep().scoredOn().equals(VALIDATION)) {
            return;
        }
        String ck = c.plan().computationKey();
        pendingPlans.remove(ck);
        List<ResultRow> primary = rows.stream().filter(r -> r.score().primary()).toList();
        double se = Math.sqrt(primary.stream().mapToDouble(r -> sq(r.score().stderr())).sum()) / primary.size();
        objective.putIfAbsent(ck, first.sweep().sweepScore());
        entries.add(new Entry(c.origin(), c.index(), c.split(), c.plan(), first.sweep().sweepScore(), se));
        resolve(ck, c.plan().applications());
    }

    private static double sq(double x) {
        return Double.isNaN(x) ? 0 : x * x;
    }

    /**
     * The plans on the validation Pareto fronts of objective against block applications: the search's (its
     * candidates) and the references' (the paper's variants and the full model), each plan once.
     */
    List<Cand> fronts() {
        List<Cand> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<Entry> all;
        synchronized (entries) {
            all = new ArrayList<>(entries);
        }
        for (boolean searched : new boolean[] {false, true}) {
            List<Entry> group = all.stream().filter(e -> isSearch(e.origin(), e.split()) == searched).toList();
            List<Entry> chosen = new ArrayList<>(pareto(group));
            if (!searched) {
                group.stream().filter(e -> e.origin().equals("full")).forEach(chosen::add);   // the reference, always
            }
            for (Entry e : chosen) {
                if (seen.add(e.plan().computationKey())) {
                    out.add(new Cand(e.index(), e.origin(), e.split(), e.plan()));
                }
            }
        }
        return out;
    }

    /**
     * Whether a scored plan is a search candidate: its origin is the generator's name and it comes from no split (the
     * paper's random-order variant is also named "random", but always at a split).
     */
    static boolean isSearch(String origin, int split) {
        return split < 0 && (origin.equals("genetic") || origin.equals("random"));
    }

    /** Entries no other entry beats on objective at no more block applications, by increasing cost. */
    static List<Entry> pareto(List<Entry> es) {
        return Pareto.front(es, e -> e.plan().applications(), Entry::objective);
    }

    @Override
    public Worker worker() {
        return (unit, sink) -> {
            Plans plans = (Plans) unit;
            boolean onTest = plans.on().equals(TEST);
            List<Cand> cands = plans.cands();
            Subject s = onTest ? subject : validationSubject();
            try (Subject.Scorer scorer = s.scorers(cands.stream().map(Cand::plan).toList()).scorer()) {
                for (Cand c : cands) {
                    String key = c.key(onTest ? TEST : VALIDATION);
                    if (sink.isDone(key)) {
                        continue;
                    }
                    Subject.PlanScorer ps = scorer.plan(c.plan());
                    List<TaskScore> scores = new ArrayList<>();
                    for (String task : s.tasks()) {
                        scores.add(ps.score(task, spec.headSeeds().get(0)));
                    }
                    ps.done();
                    PlanLatency lat = onTest ? latency(c.plan()) : null;
                    List<JsonObject> items = new ArrayList<>();
                    if (onTest) {                       // test items: searched and paper plans compared item by item
                        scores.forEach(x -> items.addAll(x.itemLines()));
                    }
                    sink.store(key, rows(c, scores, lat, onTest ? TEST : VALIDATION), items,
                            c.origin() + " " + c.plan().print());
                }
            }
        };
    }

    /** The plan's forward latency at the settings' batch and sequence length, on this machine. */
    private PlanLatency latency(LayerPlan plan) {
        HiddenStates hs = subject.model().hiddenStates(plan);
        List<TokenBatch> bs = hs.batches(PlanLatency.texts(st.latencyBatch(), st.latencySeq()), st.latencyBatch(),
                st.latencySeq());
        return PlanLatency.measure(hs, bs.get(0), 1, st.latencyRuns());
    }

    /** One row per task and metric (and the latency, on test), each carrying the plan's objective. */
    List<ResultRow> rows(Cand c, List<TaskScore> scores, PlanLatency lat, String on) {
        LoadedModel m = subject.model();
        double obj = scores.stream().mapToDouble(TaskScore::primaryValue).average().orElse(Double.NaN);
        JsonObject params = new JsonObject();
        params.addProperty("origin", c.origin());
        params.addProperty("plan", c.plan().print());
        ResultRow.Sweep sweep = new ResultRow.Sweep(c.index(), params, on, obj, Double.NaN, 0);
        int split = c.split();
        ResultRow.PlanPart part = new ResultRow.PlanPart(c.plan().print(), c.origin(), split,
                split >= 0 ? new Split(m.numLayers(), split).affected() : c.origin().equals("full") ? 0 : -1,
                c.plan().seed().orElse(-1), -1, -1, c.plan().depth(), c.plan().applications());
        Provenance.Run run = prov.run(spec.trainMax(), spec.batchSize(), spec.maxLength());
        List<ResultRow> rows = new ArrayList<>();
        for (TaskScore s : scores) {
            for (Map.Entry<Metric, Double> e : s.values().entrySet()) {
                rows.add(new ResultRow(null, spec.name(), m.id(), m.sha256(), part,
                        new ResultRow.Score(s.task(), s.version(), s.dataChecksum(), spec.headSeeds().get(0),
                                e.getKey().id(), e.getValue(), e.getKey() == s.primary(), s.chance(), s.n(),
                                s.protocol() + (on.equals(VALIDATION) ? " (validation view)" : ""), s.skipped(),
                                s.degenerate(), s.stderrOf(e.getKey())), null, sweep, run));
            }
        }
        if (lat != null) {
            rows.add(new ResultRow(null, spec.name(), m.id(), m.sha256(), part, new ResultRow.Score("latency", -1, "", -1,
                    "latency_ms", lat.medianMs(), false, Double.NaN, lat.runs(), String.format(Locale.ROOT,
                    "forward pass, batch %d x %d tokens, median of %d runs after 1 warm-up, this machine",
                    st.latencyBatch(), st.latencySeq(), lat.runs()), 0, false, lat.stderrMs()), null, sweep, run));
        }
        return rows;
    }

    @Override
    public void outputs(Path dir) throws IOException {
        SearchOutputs.write(dir, spec);
    }
}
