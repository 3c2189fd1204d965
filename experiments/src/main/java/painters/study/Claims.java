package painters.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The paper's claims (PAPER.md) checked against a study's numbers. Each is reproduced, contradicted
 * or not tested by this study, with the numbers and the rule used; the rules are stated in the report.
 */
public final class Claims {

    public enum Status { REPRODUCED, CONTRADICTED, PARTLY, NOT_TESTED }

    /** One claim's verdict. */
    public record Verdict(int number, String claim, Status status, String evidence) {}

    private Claims() {}

    public static List<Verdict> check(StudyTable t, StudySpec spec, Path cossimCsv) throws IOException {
        List<Verdict> v = new ArrayList<>();
        v.add(claim1(cossimCsv));
        v.add(claim2(t));
        double skip = t.variantMean("skip", 0);
        double repeat = t.variantMean("middle-repeat", 0);
        double reverse = t.variantMean("reverse", 0);
        double random = t.variantMean("random", 0);
        double parallel = t.variantMean("parallel", 0);
        double looped = t.variantMean("looped-parallel", 2);
        String means = String.format(Locale.ROOT, "mean normalised score over splits: skip %.3f, middle repeat %.3f, "
                + "reverse %.3f, random %.3f, parallel %.3f, looped parallel (|M|>1) %.3f", skip, repeat, reverse, random,
                parallel, looped) + perTask(t);
        double[] others = {skip, reverse, random, parallel, t.variantMean("looped-parallel", 0)};
        double nextWorst = Double.POSITIVE_INFINITY;
        for (double o : others) {
            nextWorst = Math.min(nextWorst, o);
        }
        v.add(nan(repeat, nextWorst) ? untested(3, "Middle repeat is the worst variant by far.")
                : new Verdict(3, "Middle repeat is the worst variant by far.",
                repeat < nextWorst - 0.1 ? Status.REPRODUCED : repeat < nextWorst ? Status.PARTLY : Status.CONTRADICTED,
                means + " (rule: lowest, and >= 0.1 below the next; lowest but closer = partly)"));
        if (nan(reverse, random, skip)) {
            v.add(untested(4, "Reverse and random degrade gracefully; random beats reverse; both beat skip."));
        } else {
            int ok = (random > reverse ? 1 : 0) + (reverse > skip ? 1 : 0) + (random > skip ? 1 : 0);
            v.add(new Verdict(4, "Reverse and random degrade gracefully; random beats reverse; both beat skip.",
                    ok == 3 ? Status.REPRODUCED : ok == 0 ? Status.CONTRADICTED : Status.PARTLY,
                    means + String.format(Locale.ROOT, " (random > reverse: %s, reverse > skip: %s, random > skip: %s)",
                            random > reverse, reverse > skip, random > skip)));
        }
        if (nan(parallel, skip, reverse)) {
            v.add(untested(5, "Parallel beats skip but is worse than reverse (math collapses: not tested here)."));
        } else {
            int ok = (parallel > skip ? 1 : 0) + (parallel < reverse ? 1 : 0);
            v.add(new Verdict(5, "Parallel beats skip but is worse than reverse (math collapse: not tested, no GSM8K).",
                    ok == 2 ? Status.REPRODUCED : ok == 0 ? Status.CONTRADICTED : Status.PARTLY,
                    means + String.format(Locale.ROOT, " (parallel > skip: %s, parallel < reverse: %s)", parallel > skip,
                            parallel < reverse)));
        }
        if (nan(looped, skip, reverse, random, parallel)) {
            v.add(untested(6, "Looped parallel (3x) is the least harmful variant overall, except at |M|=1."));
        } else {
            double best = Math.max(Math.max(t.variantMean("skip", 2), t.variantMean("reverse", 2)),
                    Math.max(t.variantMean("random", 2), t.variantMean("parallel", 2)));
            best = Math.max(best, t.variantMean("middle-repeat", 2));
            v.add(new Verdict(6, "Looped parallel (3x) is the least harmful variant overall, except at |M|=1.",
                    looped > best ? Status.REPRODUCED : Status.CONTRADICTED,
                    String.format(Locale.ROOT, "over splits with |M| > 1: looped parallel %.3f vs best other variant %.3f",
                            looped, best)));
        }
        v.add(claim7(t));
        v.add(claim8(t, spec));
        v.add(untested(9, "Fine-tuning with layers skipped helps below ~30% skipped and hurts above (unfreezing: "
                + "not run by a frozen study)."));
        return v;
    }

    static Verdict claim1(Path cossimCsv) throws IOException {
        String claim = "Middle layers share a representation space (cos-sim block structure); first and last few differ.";
        if (cossimCsv == null || !Files.exists(cossimCsv)) {
            return untested(1, claim);
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
        int lo = n / 4;
        int hi = 3 * n / 4;
        double mid = 0;
        int cnt = 0;
        for (int i = lo; i < hi; i++) {
            for (int j = i + 1; j < hi; j++) {
                mid += m[i][j];
                cnt++;
            }
        }
        mid /= cnt;
        double edges = (m[0][n / 2] + m[n - 1][n / 2]) / 2;
        Status s = mid >= 0.7 && mid - edges >= 0.2 ? Status.REPRODUCED : mid > edges ? Status.PARTLY : Status.CONTRADICTED;
        return new Verdict(1, claim, s, String.format(Locale.ROOT, "mean cosine among middle states %d..%d = %.3f; "
                + "first and output state vs the centre state = %.3f (rule: middle >= 0.7 and >= 0.2 above the edges)",
                lo, hi - 1, mid, edges));
    }

    static Verdict claim2(StudyTable t) {
        String claim = "Skipping a few middle layers degrades gracefully; early layers are catastrophic to skip.";
        double fewSkipped = t.points().stream().filter(p -> p.variant().equals("skip") && p.affected() <= 3)
                .mapToDouble(StudyTable.Point::median).average().orElse(Double.NaN);
        List<StudyTable.PlanScore> single = t.planScores().stream().filter(p -> p.variant().equals("skip-layer")).toList();
        if (Double.isNaN(fewSkipped)) {
            return untested(2, claim);
        }
        boolean graceful = fewSkipped >= 0.8;
        if (single.isEmpty()) {
            return new Verdict(2, claim, graceful ? Status.PARTLY : Status.CONTRADICTED, String.format(Locale.ROOT,
                    "skip with |M| <= 3: %.3f (rule: >= 0.8 is graceful); early single-layer skips not run "
                            + "(singleLayer=false)", fewSkipped));
        }
        double first = single.stream().filter(p -> p.layer() == 0).mapToDouble(StudyTable.PlanScore::median).average()
                .orElse(Double.NaN);
        int n = single.stream().mapToInt(StudyTable.PlanScore::layer).max().orElse(0) + 1;
        double middle = single.stream().filter(p -> p.layer() >= n / 4 && p.layer() < 3 * n / 4)
                .mapToDouble(StudyTable.PlanScore::median).average().orElse(Double.NaN);
        boolean catastrophic = first < 0.5 && first < middle;
        return new Verdict(2, claim, graceful && catastrophic ? Status.REPRODUCED : graceful || catastrophic
                ? Status.PARTLY : Status.CONTRADICTED, String.format(Locale.ROOT, "skip with |M| <= 3: %.3f; skipping "
                + "block 0 alone: %.3f; skipping one middle block: %.3f (rules: >= 0.8 graceful; block 0 < 0.5 and "
                + "below the middle = catastrophic)", fewSkipped, first, middle));
    }

    static Verdict claim7(StudyTable t) {
        String claim = "The best loop count grows roughly linearly with the number of parallel layers.";
        java.util.Map<Integer, Integer> best = StudyFigures.bestLoops(t.loopGrid());
        if (best.size() < 3) {
            return untested(7, claim + " (needs the loop x width grid: study key loopGrid)");
        }
        double[] m = best.keySet().stream().mapToDouble(Integer::doubleValue).toArray();
        double[] r = best.values().stream().mapToDouble(Integer::doubleValue).toArray();
        double corr = painters.eval.metric.Metric.PEARSON.of(m, r);
        return new Verdict(7, claim, corr >= 0.7 ? Status.REPRODUCED : corr > 0 ? Status.PARTLY : Status.CONTRADICTED,
                String.format(Locale.ROOT, "best R per |M|: %s; Pearson(|M|, best R) = %.2f (rule: >= 0.7 reproduced, "
                        + "> 0 partly)", best, corr));
    }

    static Verdict claim8(StudyTable t, StudySpec spec) {
        String claim = "Order-sensitive (reasoning) tasks are more order-sensitive than semantic ones.";
        List<String> order = t.tasks().stream().filter(spec.orderSensitive()::contains).toList();
        List<String> semantic = t.tasks().stream().filter(x -> !spec.orderSensitive().contains(x)).toList();
        if (order.isEmpty() || semantic.isEmpty()) {
            return untested(8, claim);
        }
        double o = (t.variantTaskMean("reverse", order) + t.variantTaskMean("random", order)) / 2;
        double s = (t.variantTaskMean("reverse", semantic) + t.variantTaskMean("random", semantic)) / 2;
        if (nan(o, s)) {
            return untested(8, claim);
        }
        return new Verdict(8, claim, o < s ? Status.REPRODUCED : Status.CONTRADICTED, String.format(Locale.ROOT,
                "mean normalised score under reverse and random order: order-sensitive tasks %s %.3f, semantic tasks "
                        + "%s %.3f (rule: lower = more order-sensitive)", order, o, semantic, s));
    }

    /** The same means per task, so a verdict driven by one task can be seen. */
    static String perTask(StudyTable t) {
        if (t.tasks().size() < 2) {
            return "";
        }
        StringBuilder sb = new StringBuilder("; per task:");
        for (String task : t.tasks()) {
            sb.append(String.format(Locale.ROOT, " %s (skip %.3f, repeat %.3f, reverse %.3f, random %.3f, parallel %.3f, "
                    + "looped %.3f);", task, t.variantTaskMean("skip", List.of(task)),
                    t.variantTaskMean("middle-repeat", List.of(task)), t.variantTaskMean("reverse", List.of(task)),
                    t.variantTaskMean("random", List.of(task)), t.variantTaskMean("parallel", List.of(task)),
                    t.variantTaskMean("looped-parallel", List.of(task))));
        }
        return sb.toString();
    }

    private static Verdict untested(int n, String claim) {
        return new Verdict(n, claim, Status.NOT_TESTED, "not tested by this study");
    }

    private static boolean nan(double... xs) {
        for (double x : xs) {
            if (Double.isNaN(x) || Double.isInfinite(x)) {
                return true;
            }
        }
        return false;
    }
}
