package painters.study.grid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import painters.eval.metric.Metric;
import painters.eval.task.TaskScore;
import painters.model.UserInputException;
import painters.model.family.LoadedModel;
import painters.model.plan.LayerPlan;
import painters.model.plan.PlanPrefixes;
import painters.results.Provenance;
import painters.results.ResultRow;
import painters.results.ResultsStore;
import painters.study.Cell;
import painters.study.StudyCells;
import painters.study.StudyKind;
import painters.study.StudySpec;
import painters.study.Unit;
import painters.subject.Subject;

/**
 * The frozen grid: every cell (plan x task x head seed) scored by the subject's protocol. A unit is one
 * distinct computation (plans equal up to a seed, a loop run once or a one-block parallel step share
 * it): its graph is built once and cells with equal scores are evaluated once. Units run in plan-trie
 * order, so plans that share executed-step prefixes are next to each other and shared states live
 * briefly. Outputs: summaries, figures, the cos-sim heatmap of the full model, the report.
 */
public final class GridKind implements StudyKind {

    private final StudySpec spec;
    private final Subject subject;
    private final Provenance prov = Provenance.current();
    /** Per task: where its plans' scorers come from (sharing that task's prefix states). */
    private volatile Map<String, Subject.Scorers> scorers;

    GridKind(StudySpec spec, Subject subject) {
        this.spec = spec;
        this.subject = subject;
    }

    /** A distinct computation's cells on one task. */
    record PlanUnit(LayerPlan plan, List<Cell> cells) implements Unit {
        String task() {
            return cells.get(0).task();
        }

        @Override
        public List<String> keys() {
            return cells.stream().map(Cell::key).toList();
        }

        @Override
        public String label() {
            return plan.print();
        }
    }

    @Override
    public String name() {
        return "grid";
    }

    @Override
    public Units units(ResultsStore store) {
        List<Cell> cells = StudyCells.of(spec, subject.model().numLayers());
        int resumed = (int) cells.stream().filter(c -> store.isDone(c.key())).count();
        List<PlanUnit> todo = units(cells, spec.tasks()).stream()
                .filter(u -> u.cells().stream().anyMatch(c -> !store.isDone(c.key())))
                .toList();
        prepare(store.file().toAbsolutePath().getParent(), todo);
        return StudyKind.listed(todo, cells.size(), resumed);
    }

    /**
     * The distinct computations of {@code cells}, one unit per plan computation and task, task by task (in the
     * study's order), each task's in plan-trie order: the prefix states of one task's texts are shared by its
     * plans and dropped when its last plan is done, before the next task's are computed.
     */
    static List<PlanUnit> units(List<Cell> cells, List<String> tasks) {
        Map<String, List<Cell>> byPlan = new LinkedHashMap<>();
        for (Cell c : cells) {
            byPlan.computeIfAbsent(c.task() + "|" + c.plan().computationKey(), k -> new ArrayList<>()).add(c);
        }
        return byPlan.values().stream().map(g -> new PlanUnit(g.get(0).plan(), g))
                .sorted(Comparator.comparingInt((PlanUnit u) -> tasks.indexOf(u.task()))
                        .thenComparing(PlanUnit::plan, PlanPrefixes.TRIE_ORDER))
                .toList();
    }

    /** Each task's units share their plans' common prefixes across this process's workers. */
    @Override
    public void prepare(Path dir, List<? extends Unit> units) {
        Map<String, List<LayerPlan>> plans = new LinkedHashMap<>();
        for (Unit u : units) {
            PlanUnit p = (PlanUnit) u;
            plans.computeIfAbsent(p.task(), k -> new ArrayList<>()).add(p.plan());
        }
        Map<String, Subject.Scorers> byTask = new LinkedHashMap<>();
        plans.forEach((task, ps) -> byTask.put(task, subject.scorers(ps)));
        scorers = byTask;
    }

    /**
     * Contiguous runs of the batch (in plan-trie order, as handed out), two per slot and balanced by
     * block applications per task: plans that share a prefix stay together except where a cut falls, which then
     * computes that prefix once more.
     */
    @Override
    public List<List<Unit>> shares(List<Unit> batch, int slots) {
        int n = Math.max(1, Math.min(batch.size(), 2 * slots));
        long left = 0;
        for (Unit u : batch) {
            left += cost((PlanUnit) u);
        }
        List<List<Unit>> out = new ArrayList<>();
        List<Unit> cur = new ArrayList<>();
        long acc = 0;
        for (int i = 0; i < batch.size(); i++) {
            cur.add(batch.get(i));
            acc += cost((PlanUnit) batch.get(i));
            int sharesLeft = n - out.size();                 // this one included
            int unitsLeft = batch.size() - i - 1;
            // cut at the mean of what is left, or where every later share still needs a unit of its own
            if (sharesLeft > 1 && (acc * sharesLeft >= left || unitsLeft == sharesLeft - 1)) {
                out.add(cur);
                left -= acc;
                cur = new ArrayList<>();
                acc = 0;
            }
        }
        if (!cur.isEmpty()) {
            out.add(cur);
        }
        return out;
    }

    /** Block applications times the tasks the plan featurizes (its cells' heads are cheap next to that). */
    static long cost(PlanUnit u) {
        return (long) u.plan().applications() * u.cells().stream().map(Cell::task).distinct().count();
    }

    @Override
    public int workers() {
        return spec.resolvedWorkers();
    }

    @Override
    public Worker worker() {
        Map<String, Subject.Scorers> from = scorers;
        Map<String, Subject.Scorer> mine = new LinkedHashMap<>();
        return new Worker() {
            @Override
            public void compute(Unit unit, Sink sink) throws IOException {
                PlanUnit u = (PlanUnit) unit;
                Subject.PlanScorer plan = mine.computeIfAbsent(u.task(), t -> from.get(t).scorer()).plan(u.plan());
                Map<String, TaskScore> scores = new LinkedHashMap<>();
                for (Cell c : u.cells()) {
                    if (sink.isDone(c.key())) {
                        continue;
                    }
                    TaskScore s = scores.computeIfAbsent(c.scoreKey(), k -> score(plan, c));
                    sink.store(c.key(), rows(c, s), s.itemLines(), c.variant() + " " + u.plan().print() + " " + c.task());
                }
                plan.done();
            }

            @Override
            public void close() {
                mine.values().forEach(Subject.Scorer::close);
            }
        };
    }

    /** A cell's score; a failure names the task, plan and head seed it happened in. */
    private static TaskScore score(Subject.PlanScorer plan, Cell c) {
        try {
            return plan.score(c.task(), c.headSeed());
        } catch (IllegalArgumentException e) {
            throw new UserInputException(c.task() + " under " + c.plan().print() + " (head seed " + c.headSeed()
                    + "): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalStateException(c.task() + " under " + c.plan().print() + " (head seed " + c.headSeed()
                    + "): " + e, e);
        }
    }

    /** One row per metric of a cell's score. */
    List<ResultRow> rows(Cell c, TaskScore s) {
        LoadedModel m = subject.model();
        List<ResultRow> rows = new ArrayList<>();
        Provenance.Run run = prov.run(spec.trainMax(), spec.batchSize(), spec.maxLength());
        for (Map.Entry<Metric, Double> e : s.values().entrySet()) {
            rows.add(new ResultRow(null, spec.name(), m.id(), m.sha256(), c.planPart(),
                    new ResultRow.Score(s.task(), s.version(), s.dataChecksum(), c.headSeed(), e.getKey().id(),
                            e.getValue(), e.getKey() == s.primary(), s.chance(), s.n(), s.protocol(), s.skipped(),
                            s.degenerate(), s.stderrOf(e.getKey())),
                    null, null, run));
        }
        return rows;
    }

    @Override
    public void outputs(Path dir) throws IOException {
        if (spec.cossim() && !GridAnalysis.complete(dir.resolve("analysis"))) {
            GridAnalysis.write(subject.model(), spec, dir.resolve("analysis"), shortName(subject.model().id()));
        }
        StudyOutputs.write(dir, spec);
    }

    /** A model's id for a figure's title: a local checkpoint by its folder or file name, a hub id as it is. */
    static String shortName(String id) {
        Path p = Path.of(id);
        return p.getNameCount() > 1 && Files.exists(p) ? p.getFileName().toString() : id;
    }
}
