package painters.study;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import painters.results.Provenance;
import painters.results.ResultRow;
import painters.results.ResultsStore;
import painters.study.Claims.Status;
import painters.study.StudyTable.Estimate;

/** Every verdict path of the ordering claims, on hand-built numbers; and the table they come from. */
class ClaimsTest {

    static Estimate e(double v, double se) {
        return new Estimate(v, se);
    }

    static final Estimate NONE = new Estimate(Double.NaN, Double.NaN);

    @Test
    void anOrderingCountsOnlyBeyondTwoCombinedStandardErrors() {
        assertEquals(1, Claims.order(e(0.80, 0.02), e(0.70, 0.02)), "0.10 > 2 x 0.028");
        assertEquals(0, Claims.order(e(0.80, 0.03), e(0.74, 0.03)), "0.06 < 2 x 0.042: indistinguishable");
        assertEquals(-1, Claims.order(e(0.60, 0.01), e(0.70, 0.01)));
        assertEquals(1, Claims.order(e(0.71, Double.NaN), e(0.70, Double.NaN)), "no errors: the plain ordering");
        String s = Claims.compared("a > b", e(0.80, 0.03), e(0.74, 0.03));
        assertTrue(s.contains("0.800 +- 0.030") && s.contains("difference 0.060 vs 2 x 0.042") && s.endsWith(
                "indistinguishable"), s);
    }

    @Test
    void claim4CoversEveryVerdict() {
        Estimate skip = e(0.50, 0.02);
        assertEquals(Status.REPRODUCED, Claims.claim4(e(0.90, 0.02), e(0.75, 0.02), skip, "").status());
        assertEquals(Status.PARTLY, Claims.claim4(e(0.76, 0.02), e(0.75, 0.02), skip, "").status(),
                "both beat skip, random vs reverse within the errors");
        assertEquals(Status.INDISTINGUISHABLE, Claims.claim4(e(0.52, 0.05), e(0.51, 0.05), skip, "").status());
        assertEquals(Status.CONTRADICTED, Claims.claim4(e(0.30, 0.02), e(0.40, 0.02), e(0.60, 0.02), "").status());
        assertEquals(Status.NOT_TESTED, Claims.claim4(NONE, e(0.4, 0.02), skip, "").status());
        String ev = Claims.claim4(e(0.76, 0.02), e(0.75, 0.02), skip, "means").evidence();
        assertTrue(ev.contains("random > reverse: 0.760 +- 0.020 vs 0.750 +- 0.020") && ev.contains("rule:"), ev);
    }

    @Test
    void claims3568CoverTheirVerdicts() {
        List<Estimate> others = List.of(e(0.6, 0.02), e(0.7, 0.02));
        assertEquals(Status.REPRODUCED, Claims.claim3(e(0.3, 0.02), others, "").status());
        assertEquals(Status.PARTLY, Claims.claim3(e(0.52, 0.01), others, "").status(), "lowest, but not by 0.1");
        assertEquals(Status.INDISTINGUISHABLE, Claims.claim3(e(0.59, 0.02), others, "").status());
        assertEquals(Status.CONTRADICTED, Claims.claim3(e(0.9, 0.02), others, "").status());
        assertEquals(Status.NOT_TESTED, Claims.claim3(e(0.3, 0.02), List.of(NONE), "").status());
        assertEquals(Status.REPRODUCED, Claims.claim5(e(0.6, 0.02), e(0.4, 0.02), e(0.8, 0.02), "").status());
        assertEquals(Status.PARTLY, Claims.claim5(e(0.9, 0.02), e(0.4, 0.02), e(0.8, 0.02), "").status());
        assertEquals(Status.REPRODUCED, Claims.claim6(e(0.8, 0.02), e(0.6, 0.02)).status());
        assertEquals(Status.INDISTINGUISHABLE, Claims.claim6(e(0.61, 0.02), e(0.6, 0.02)).status());
        assertEquals(Status.CONTRADICTED, Claims.claim6(e(0.4, 0.02), e(0.6, 0.02)).status());
        assertEquals(Status.REPRODUCED, Claims.claim8(e(0.3, 0.05), e(0.9, 0.02), List.of("o"), List.of("s")).status());
        assertEquals(Status.INDISTINGUISHABLE, Claims.claim8(e(0.8, 0.1), e(0.9, 0.02), List.of("o"), List.of("s"))
                .status(), "a noisy order probe cannot tell");
        assertEquals(Status.CONTRADICTED, Claims.claim8(e(1.2, 0.05), e(0.9, 0.02), List.of("o"), List.of("s")).status());
    }

    static ResultRow row(String variant, int split, String task, double value, double se) {
        return new ResultRow(null, "s", "m", "sha", new ResultRow.PlanPart(variant.equals("full") ? "0-11" : variant + split,
                variant, variant.equals("full") ? -1 : split, variant.equals("full") ? 0 : 12 - 2 * split - 2, -1, -1, -1,
                9, 9), new ResultRow.Score(task, 1, "d", 0, "accuracy", value, true, 0.5, 400, "head", 0, false, se), null,
                null, new Provenance("cpu", "x", "17", "linux", "c").run(0, 32, 128));
    }

    @Test
    void theTableCarriesErrorsThroughNormalisationAndLeavesOutANoisyTask(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("results.jsonl");
        try (ResultsStore s = ResultsStore.open(f)) {
            s.append("a", List.of(row("full", -1, "sem", 0.90, 0.015)));
            s.append("b", List.of(row("skip", 4, "sem", 0.70, 0.02)));
            s.append("c", List.of(row("full", -1, "noisy", 0.585, 0.025)));   // 3.4 se above chance: in
            s.append("d", List.of(row("skip", 4, "noisy", 0.55, 0.025)));
            s.append("e", List.of(row("full", -1, "chance", 0.52, 0.025)));   // 0.8 se above chance: out
            s.append("f", List.of(row("skip", 4, "chance", 0.60, 0.025)));
        }
        StudyTable t = StudyTable.load(f);
        assertEquals(List.of("chance"), List.copyOf(t.atChance().keySet()));
        assertTrue(t.atChance().get("chance").contains("0.8 standard errors"), t.atChance().toString());
        StudyTable.Entry sem = t.entries().stream().filter(x -> x.task().equals("sem") && x.variant().equals("skip"))
                .findFirst().orElseThrow();
        double n = (0.70 - 0.5) / (0.90 - 0.5);
        assertEquals(n, sem.normalised(), 1e-12);
        assertEquals(Math.sqrt(0.02 * 0.02 + n * n * 0.015 * 0.015) / 0.4, sem.normStderr(), 1e-12);
        StudyTable.Point p = t.points().get(0);
        assertTrue(p.se() > 0.05 && p.se() < 0.35, "the noisy task dominates the median's error: " + p.se());
        assertEquals(1, t.points().size());
        String perTask = Claims.perTask(t);
        assertTrue(perTask.contains("sem (skip 0.500") && perTask.endsWith("left out (full model not above chance): chance")
                && !perTask.contains("NaN") && !perTask.contains(";;"), perTask);
    }
}
