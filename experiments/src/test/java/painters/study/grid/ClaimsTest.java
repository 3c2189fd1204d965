package painters.study.grid;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import painters.eval.analysis.AnalysisFiles;
import painters.eval.analysis.BlockStructure;
import painters.eval.metric.PairedBootstrap;
import painters.eval.metric.Replicates;
import painters.results.Provenance;
import painters.results.ResultRow;
import painters.results.ResultsStore;
import painters.study.grid.Claims.Status;
import painters.study.grid.StudyTable.Estimate;

/** Every verdict path of the ordering claims, on hand-built numbers; and the table they come from. */
public class ClaimsTest {

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

    static Map<String, Estimate> others(Estimate... es) {
        Map<String, Estimate> m = new LinkedHashMap<>();
        for (int i = 0; i < es.length; i++) {
            m.put("v" + i, es[i]);
        }
        return m;
    }

    @Test
    void claims3568CoverTheirVerdicts() {
        Map<String, Estimate> others = others(e(0.6, 0.02), e(0.7, 0.02));
        assertEquals(Status.REPRODUCED, Claims.claim3(e(0.3, 0.02), others, "").status());
        assertEquals(Status.PARTLY, Claims.claim3(e(0.52, 0.01), others, "").status(), "lowest, but not by 0.1");
        assertEquals(Status.PARTLY, Claims.claim3(e(0.59, 0.02), others, "").status(), "below one beyond the errors");
        assertEquals(Status.INDISTINGUISHABLE, Claims.claim3(e(0.62, 0.05), others(e(0.6, 0.02), e(0.63, 0.02)), "")
                .status());
        assertEquals(Status.CONTRADICTED, Claims.claim3(e(0.9, 0.02), others, "").status());
        assertEquals(Status.NOT_TESTED, Claims.claim3(e(0.3, 0.02), Map.of(), "").status());
        String ev = Claims.claim3(e(0.59, 0.02), others, "").evidence();
        assertTrue(ev.startsWith("held: v1 > middle repeat; indistinguishable: v0 > middle repeat") && ev.contains(
                "2 comparisons"), ev);
        assertEquals(Status.REPRODUCED, Claims.claim5(e(0.6, 0.02), e(0.4, 0.02), e(0.8, 0.02), "").status());
        assertEquals(Status.PARTLY, Claims.claim5(e(0.9, 0.02), e(0.4, 0.02), e(0.8, 0.02), "").status());
        assertTrue(Claims.claim5(e(0.9, 0.02), e(0.4, 0.02), e(0.8, 0.02), "").evidence().startsWith(
                "held: parallel > skip; reversed: reverse > parallel"), "a mixed verdict names which ordering failed");
        assertEquals(Status.REPRODUCED, Claims.claim6(e(0.8, 0.02), others(e(0.6, 0.02), e(0.5, 0.02))).status());
        assertEquals(Status.PARTLY, Claims.claim6(e(0.61, 0.02), others(e(0.6, 0.02), e(0.5, 0.02))).status(),
                "above one variant, not the other: compared with each, no comparator picked from the scores");
        assertEquals(Status.CONTRADICTED, Claims.claim6(e(0.4, 0.02), others(e(0.6, 0.02))).status());
    }

    @Test
    void claim8ComparesThePapersReasoningAndSemanticTasksUnderEachVariant() {
        List<String> vs = List.of("reverse", "skip");
        List<Estimate[]> held = List.of(new Estimate[] {e(0.9, 0.02), e(0.3, 0.05)}, new Estimate[] {e(0.8, 0.02),
                e(0.4, 0.05)});
        assertEquals(Status.REPRODUCED, Claims.claim8(vs, held, List.of("arc-challenge"), List.of("hellaswag"), "")
                .status());
        List<Estimate[]> mixed = List.of(new Estimate[] {e(0.9, 0.02), e(0.3, 0.05)}, new Estimate[] {e(0.4, 0.02),
                e(0.8, 0.05)});
        Claims.Verdict v = Claims.claim8(vs, mixed, List.of("arc-challenge"), List.of("hellaswag"), "");
        assertEquals(Status.PARTLY, v.status());
        assertTrue(v.evidence().startsWith("held: reverse; reversed: skip"), v.evidence());
        assertEquals(Status.INDISTINGUISHABLE, Claims.claim8(List.of("reverse"), List.<Estimate[]>of(new Estimate[] {
                e(0.8, 0.1), e(0.9, 0.02)}), List.of("gsm8k"), List.of("winogrande"), "").status());
    }

    /** A loop grid whose best R is |M| - 1 for |M| = 3, 5, 7, 9, with replicates of the given noise. */
    static List<StudyTable.GridPoint> grid(double noise) {
        List<StudyTable.GridPoint> g = new ArrayList<>();
        for (int m = 3; m <= 9; m += 2) {
            for (int r = 1; r <= 9; r++) {
                double v = 1 - 0.02 * Math.abs(r - (m - 1));
                Replicates n = PairedBootstrap.noise(m + "|" + r, noise);
                g.add(new StudyTable.GridPoint(m, r, v, new Replicates(Arrays.stream(
                        n.values()).map(x -> v + x).toArray())));
            }
        }
        return g;
    }

    @Test
    void claim7CarriesTheErrorOfTheBestLoopCount() {
        Claims.Verdict clear = Claims.claim7(grid(0.001));
        assertEquals(Status.REPRODUCED, clear.status(), clear.evidence());
        assertTrue(clear.evidence().contains("{3=2, 5=4, 7=6, 9=8}"), clear.evidence());
        Claims.Verdict noisy = Claims.claim7(grid(0.2));
        assertNotEquals(Status.REPRODUCED, noisy.status(), "the same medians with noise that reorders the R: "
                + noisy.evidence());
        assertEquals(Status.REPRODUCED, Claims.claim7(grid(0.2).stream().map(p -> new StudyTable.GridPoint(p.affected(),
                p.loops(), p.median())).toList()).status(), "negative control: without errors the point rule passes");
    }

    @Test
    void pairedEstimatesCompareReplicateByReplicate() {
        Replicates base = PairedBootstrap.noise("x", 0.05);
        Estimate a = new Estimate(0.80, 0.05, base);
        Estimate b = new Estimate(0.78, 0.05, new Replicates(Arrays.stream(base.values())
                .map(x -> x - 0.02).toArray()));
        assertEquals(0.0, a.minus(b).se(), 1e-12, "a constant shift of the same replicates: no error");
        assertEquals(1, Claims.order(a, b), "0.02 apart with a paired error of 0");
        assertEquals(0, Claims.order(new Estimate(0.80, 0.05), new Estimate(0.78, 0.05)), "negative control: unpaired");
        assertTrue(Claims.compared("a > b", a, b).contains("paired"));
    }

    static double[][] matrix(int n, BiFunction<Integer, Integer, Double> f) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m[i][j] = i == j ? 1 : f.apply(i, j);
            }
        }
        return m;
    }

    @Test
    void claim1ReadsABlockMatrixAsReproducedAndSmoothDecayAsNot(@TempDir Path dir) throws Exception {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < 13; i++) {
            labels.add(i == 12 ? "out" : Integer.toString(i));
        }
        Map<String, double[][]> cases = new LinkedHashMap<>();
        cases.put("exp tau 8", matrix(13, (i, j) -> Math.exp(-Math.abs(i - j) / 8.0)));
        cases.put("exp tau 12", matrix(13, (i, j) -> Math.exp(-Math.abs(i - j) / 12.0)));
        cases.put("linear", matrix(13, (i, j) -> 1 - 0.09 * Math.abs(i - j)));
        for (var c : cases.entrySet()) {
            Path f = dir.resolve(c.getKey().replace(' ', '_') + ".csv");
            Files.writeString(f, AnalysisFiles.matrixCsv(labels, c.getValue()));
            Claims.Verdict old = oldRule(c.getValue());
            assertEquals(Status.REPRODUCED, old.status(), "the old rule passed " + c.getKey());
            assertEquals(Status.NOT_REPRODUCED, LayerClaims.claim1(f).status(), c.getKey());
        }
        double[][] blocks = matrix(13, (i, j) -> {
            int bi = i < 2 ? 0 : i < 11 ? 1 : 2;
            int bj = j < 2 ? 0 : j < 11 ? 1 : 2;
            return (bi == bj ? 0.9 : 0.3) - 0.01 * Math.abs(i - j);
        });
        Path f = dir.resolve("blocks.csv");
        Files.writeString(f, AnalysisFiles.matrixCsv(labels, blocks));
        Claims.Verdict v = LayerClaims.claim1(f);
        assertEquals(Status.REPRODUCED, v.status());
        assertTrue(v.evidence().contains("middle 2..10") && v.evidence().contains("no per-text matrices"), v.evidence());
        assertEquals(Status.PARTLY, LayerClaims.claim1(new BlockStructure.Fit(2, 11, 0.03, 0.01), 13)
                .status(), "a real but small contrast");
        assertEquals(Status.NOT_REPRODUCED, LayerClaims.claim1(new BlockStructure.Fit(2, 11, 0.3,
                0.2), 13).status(), "within its errors of 0");
    }

    /** The rule claim 1 had before: mean cosine among the middle states >= 0.7 and 0.2 above the ends' cosine to the centre. */
    static Claims.Verdict oldRule(double[][] m) {
        int n = m.length;
        double mid = 0;
        int cnt = 0;
        for (int i = n / 4; i < 3 * n / 4; i++) {
            for (int j = i + 1; j < 3 * n / 4; j++) {
                mid += m[i][j];
                cnt++;
            }
        }
        mid /= cnt;
        double edges = (m[0][n / 2] + m[n - 1][n / 2]) / 2;
        return new Claims.Verdict(1, "", mid >= 0.7 && mid - edges >= 0.2 ? Status.REPRODUCED : Status.PARTLY, "");
    }

    public static ResultRow row(String variant, int split, String task, double value, double se) {
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
