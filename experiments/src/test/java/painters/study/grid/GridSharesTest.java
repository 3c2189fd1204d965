package painters.study.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import painters.model.plan.PlanPrefixes;
import painters.model.plan.Step;
import painters.study.Cell;
import painters.study.StudyCells;
import painters.study.StudySpec;
import painters.study.StudySpecs;
import painters.study.Unit;

/** How a distributed engine cuts the default grid into shares: contiguous in trie order, balanced, none lost. */
class GridSharesTest {

    @Test
    void sharesAreContiguousRunsOfTheTrieOrderBalancedByBlockApplications() {
        StudySpec spec = StudySpecs.load(Path.of(System.getProperty("painters.root", "..")).resolve("studies/default.json"),
                List.of());
        List<Unit> batch = GridKind.units(StudyCells.of(spec, 12), spec.tasks()).stream().map(u -> (Unit) u).toList();
        assertEquals(2 * 71, batch.size(), "the default grid's distinct computations, per task");
        for (int i = 1; i < batch.size(); i++) {
            GridKind.PlanUnit a = (GridKind.PlanUnit) batch.get(i - 1);
            GridKind.PlanUnit b = (GridKind.PlanUnit) batch.get(i);
            int byTask = Integer.compare(spec.tasks().indexOf(a.task()), spec.tasks().indexOf(b.task()));
            assertTrue(byTask < 0 || byTask == 0 && PlanPrefixes.TRIE_ORDER.compare(a.plan(), b.plan()) < 0,
                    "task by task, each in plan-trie order: " + a.label() + " before " + b.label());
        }
        GridKind grid = new GridKind(spec, null);
        for (int slots : new int[] {1, 2, 8, 100}) {
            List<List<Unit>> shares = grid.shares(batch, slots);
            assertEquals(Math.min(batch.size(), 2 * slots), shares.size(), slots + " slots");
            List<Unit> joined = shares.stream().flatMap(List::stream).toList();
            assertEquals(batch, joined, "every unit once, in the order handed out");
            long max = 0;
            long min = Long.MAX_VALUE;
            long biggestUnit = 0;
            for (List<Unit> s : shares) {
                long cost = s.stream().mapToLong(u -> cost((GridKind.PlanUnit) u)).sum();
                max = Math.max(max, cost);
                min = Math.min(min, cost);
                for (Unit u : s) {
                    biggestUnit = Math.max(biggestUnit, cost((GridKind.PlanUnit) u));
                }
            }
            long total = batch.stream().mapToLong(u -> cost((GridKind.PlanUnit) u)).sum();
            assertTrue(max <= total / shares.size() + 2 * biggestUnit, "balanced within two units: " + max + " of " + total);
        }
    }

    /** Block applications per task featurized, counted here independently of GridKind. */
    private static long cost(GridKind.PlanUnit u) {
        long tasks = u.cells().stream().map(Cell::task).distinct().count();
        long apps = 0;
        for (Step st : u.plan().steps()) {
            apps += st.applications();
        }
        return apps * tasks;
    }
}
