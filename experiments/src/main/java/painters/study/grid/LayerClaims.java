package painters.study.grid;

import static painters.study.grid.Claims.Z;
import static painters.study.grid.Claims.against;
import static painters.study.grid.Claims.compared;
import static painters.study.grid.Claims.order;
import static painters.study.grid.Claims.pm;
import static painters.study.grid.Claims.untested;
import static painters.study.grid.Claims.verdict;
import static painters.study.grid.Claims.which;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import painters.eval.analysis.AnalysisFiles;
import painters.eval.analysis.BlockStructure;
import painters.study.grid.Claims.Status;
import painters.study.grid.Claims.Verdict;

/**
 * The paper's claims about single layers and blocks, checked with the rules of {@link Claims}: the middle states form
 * a block (1), skipping a few middle layers is graceful and the first is not (2), one middle layer skipped or switched
 * costs little (10, Fig. 2), repeating in place never beats the full model (11, A.6).
 */
final class LayerClaims {

    /** Claim 1: the smallest block contrast (cosine, at equal layer distance) that counts as a block structure. */
    static final double MIN_BLOCK_CONTRAST = 0.05;

    private LayerClaims() {}

    static final String CLAIM_1 = "Middle layers share a representation space (cos-sim block structure); first and "
            + "last few differ.";

    /**
     * Claim 1 as a test of blocks ({@link BlockStructure}): the best split of the states into first, middle and
     * last blocks, and its contrast (similarity of pairs inside a block minus pairs across a boundary, at equal
     * layer distance, so a similarity that merely decays with distance scores 0). Reproduced when the contrast is
     * at least {@value #MIN_BLOCK_CONTRAST} and {@link #Z} standard errors above 0 (errors over the texts, from
     * {@code cossim_examples.csv}; without it the point value alone decides, and the evidence says so).
     */
    static Verdict claim1(Path cossimCsv) throws IOException {
        if (cossimCsv == null || !Files.exists(cossimCsv)) {
            return untested(1, CLAIM_1);
        }
        List<String> lines = Files.readAllLines(cossimCsv);
        int n = lines.size() - 1;
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            String[] f = lines.get(i + 1).split(",");
            for (int j = 0; j < n; j++) {
                m[i][j] = Double.parseDouble(f[j + 1]);
            }
        }
        Path examples = cossimCsv.resolveSibling(AnalysisFiles.COSSIM_EXAMPLES_CSV);
        BlockStructure.Fit fit = Files.exists(examples) ? BlockStructure.fit(AnalysisFiles.readExamples(examples))
                : BlockStructure.fit(m);
        return claim1(fit, n);
    }

    /** Claim 1's verdict on a fitted segmentation of {@code n} states. */
    static Verdict claim1(BlockStructure.Fit fit, int n) {
        boolean errors = Double.isFinite(fit.se());
        boolean clear = fit.contrast() >= MIN_BLOCK_CONTRAST && (!errors || fit.contrast() > Z * fit.se());
        boolean some = errors && fit.contrast() > Z * fit.se();          // without errors only the threshold decides
        Status s = clear ? Status.REPRODUCED : some ? Status.PARTLY : Status.NOT_REPRODUCED;
        return new Verdict(1, CLAIM_1, s, String.format(Locale.ROOT, "best blocks of the %d states: first 0..%d, middle "
                        + "%d..%d, last %d..%d; block contrast (cosine of pairs inside a block minus pairs across a "
                        + "boundary, at equal layer distance) %s (rule: >= %.2f and %.0f standard errors above 0 = "
                        + "reproduced; above 0 beyond the errors but smaller = partly; a similarity that only decays "
                        + "with distance has contrast 0 = not reproduced%s)", n, fit.middleStart() - 1, fit.middleStart(),
                fit.lastStart() - 1, fit.lastStart(), n - 1, errors ? String.format(Locale.ROOT, "%.3f +- %.3f",
                        fit.contrast(), fit.se()) : String.format(Locale.ROOT, "%.3f", fit.contrast()),
                MIN_BLOCK_CONTRAST, Z, errors ? "; errors over the texts, blocks refitted in every replicate"
                        : "; no per-text matrices, so no error"));
    }

    static final String CLAIM_2 = "Skipping a few middle layers degrades gracefully; early layers are catastrophic to "
            + "skip.";
    static final String CLAIM_10 = "(Fig. 2) Skipping or switching one middle layer costs little; the first and last "
            + "layers cost most.";
    static final String CLAIM_11 = "(Appendix A.6) Repeating the middle layers in place never beats the full model.";

    /** A plan's median over tasks as an estimate (with its replicates). */
    static StudyTable.Estimate estimate(StudyTable.PlanScore p) {
        return new StudyTable.Estimate(p.median(), p.medianSe(), p.medianReps());
    }

    /** The mean over head seeds of the single-layer plans of {@code variant} at {@code layer}s in [lo, hi). */
    static StudyTable.Estimate single(StudyTable t, String variant, int lo, int hi) {
        List<StudyTable.Estimate> es = t.planScores().stream().filter(p -> p.variant().equals(variant)
                && p.layer() >= lo && p.layer() < hi && !Double.isNaN(p.median())).map(LayerClaims::estimate).toList();
        return es.isEmpty() ? new StudyTable.Estimate(Double.NaN, Double.NaN) : StudyTable.Estimate.mean(es);
    }

    /**
     * Claim 2: skip with |M| <= 3 keeps at least 0.8 of the full model beyond the errors (graceful); skipping block 0
     * alone falls below 0.5 beyond the errors and below skipping one middle block (paired).
     */
    static Verdict claim2(StudyTable t) {
        List<StudyTable.Estimate> few = t.points().stream().filter(p -> p.variant().equals("skip") && p.affected() <= 3
                && !Double.isNaN(p.median())).map(p -> new StudyTable.Estimate(p.median(), p.se(), p.reps())).toList();
        if (few.isEmpty()) {
            return untested(2, CLAIM_2);
        }
        StudyTable.Estimate fewSkipped = StudyTable.Estimate.mean(few);
        int graceful = against(fewSkipped, 0.8);
        int n = t.planScores().stream().filter(p -> p.variant().equals("skip-layer")).mapToInt(StudyTable.PlanScore::layer)
                .max().orElse(-1) + 1;
        if (n == 0) {
            return new Verdict(2, CLAIM_2, graceful > 0 ? Status.PARTLY : graceful < 0 ? Status.CONTRADICTED
                    : Status.INDISTINGUISHABLE, String.format(Locale.ROOT, "skip with |M| <= 3: %s against 0.8 (rule: "
                    + "above 0.8 beyond %.0f standard errors = graceful); early single-layer skips not run "
                    + "(singleLayer=false), so only the first half is tested", pm(fewSkipped), Z));
        }
        StudyTable.Estimate first = single(t, "skip-layer", 0, 1);
        StudyTable.Estimate middle = single(t, "skip-layer", n / 4, 3 * n / 4);
        int[] o = {graceful, -against(first, 0.5), order(middle, first)};
        return new Verdict(2, CLAIM_2, verdict(o), which(List.of("skip with |M| <= 3 above 0.8", "skipping block 0 "
                + "below 0.5", "one middle block > block 0"), o) + String.format(Locale.ROOT, ". Skip with |M| <= 3: %s; "
                + "skipping block 0 alone: %s; skipping one middle block (%d..%d): %s; %s (rules: %.0f standard errors "
                + "from each threshold, comparisons paired)", pm(fewSkipped), pm(first), n / 4, 3 * n / 4 - 1,
                pm(middle), compared("middle > block 0", middle, first), Z));
    }

    /**
     * Fig. 2: one middle layer skipped or switched with its right neighbour keeps at least 0.9 (beyond the errors),
     * and costs less than doing the same to the first or the last layer (paired).
     */
    static Verdict claim10(StudyTable t) {
        int n = t.planScores().stream().filter(p -> p.variant().equals("skip-layer")).mapToInt(StudyTable.PlanScore::layer)
                .max().orElse(-1) + 1;
        if (n < 4) {
            return new Verdict(10, CLAIM_10, Status.NOT_TESTED, "not tested by this study (needs singleLayer=true)");
        }
        List<String> names = new ArrayList<>();
        List<Integer> orders = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        for (String v : List.of("skip-layer", "switch-layer")) {
            int last = v.equals("skip-layer") ? n - 1 : n - 2;                  // switch n-2 swaps the last two
            StudyTable.Estimate middle = single(t, v, n / 4, 3 * n / 4);
            StudyTable.Estimate first = single(t, v, 0, 1);
            StudyTable.Estimate end = single(t, v, last, last + 1);
            if (!middle.known()) {
                continue;
            }
            names.add(v + " middle above 0.9");
            orders.add(against(middle, 0.9));
            parts.add(v + " of one middle layer: " + pm(middle));
            if (first.known()) {
                names.add(v + " middle > first");
                orders.add(order(middle, first));
                parts.add(compared(v + " middle > first", middle, first));
            }
            if (end.known()) {
                names.add(v + " middle > last");
                orders.add(order(middle, end));
                parts.add(compared(v + " middle > last", middle, end));
            }
        }
        int[] o = orders.stream().mapToInt(Integer::intValue).toArray();
        return new Verdict(10, CLAIM_10, verdict(o), which(names, o) + ". " + String.join("; ", parts)
                + String.format(Locale.ROOT, " (middle = blocks %d..%d; rule: every ordering beyond %.0f standard errors"
                + ", paired)", n / 4, 3 * n / 4 - 1, Z));
    }

    /** Appendix A.6: no repeat-in-place plan above the full model (normalised 1) beyond its paired errors. */
    static Verdict claim11(StudyTable t) {
        List<StudyTable.Point> ps = t.points().stream().filter(p -> p.variant().equals("repeat-in-place")
                && !Double.isNaN(p.median())).toList();
        if (ps.isEmpty()) {
            return new Verdict(11, CLAIM_11, Status.NOT_TESTED, "not tested by this study (variant repeat-in-place)");
        }
        List<String> above = new ArrayList<>();
        StudyTable.Point best = ps.get(0);
        for (StudyTable.Point p : ps) {
            if (against(new StudyTable.Estimate(p.median(), p.se()), 1) > 0) {
                above.add("|M|=" + p.affected());
            }
            best = p.median() > best.median() ? p : best;
        }
        return new Verdict(11, CLAIM_11, above.isEmpty() ? Status.REPRODUCED : Status.CONTRADICTED, String.format(
                Locale.ROOT, "%d splits; best: |M|=%d at %.3f +- %.3f; above 1 beyond %.0f standard errors: %s", ps.size(),
                best.affected(), best.median(), best.se(), Z, above.isEmpty() ? "none" : String.join(", ", above)));
    }
}
