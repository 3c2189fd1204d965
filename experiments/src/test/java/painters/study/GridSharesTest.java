package painters.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import painters.model.plan.PlanPrefixes;

/** How a distributed engine cuts the default grid into shares: contiguous in trie order, balanced, none lost. */
class GridSharesTest {

    @Test
    void sharesAreContiguousRunsOfTheTrieOrderBalancedByBlockApplications() {
        StudySpec spec = StudySpecs.load(Path.of(System.getProperty("painters.root", "..")).resolve("studies/default.json"),
                List.of());
        Map<String, List<Cell>> byPlan = new LinkedHashMap<>();
        for (Cell c : StudyCells.of(spec, 12)) {
            byPlan.computeIfAbsent(c.plan().computationKey(), k -> new ArrayList<>()).add(c);
        }
        List<Unit> batch = byPlan.values().stream().map(g -> new GridKind.PlanUnit(g.get(0).plan(), g))
                .sorted(Comparator.comparing(GridKind.PlanUnit::plan, PlanPrefixes.TRIE_ORDER)).map(u -> (Unit) u).toList();
        assertEquals(71, batch.size(), "the default grid's distinct computations");
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

    private static long cost(GridKind.PlanUnit u) {
        return (long) u.plan().applications() * u.cells().size();
    }
}
