package painters.study.recovery;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import painters.eval.io.Csv;
import painters.study.NoiseRule;
import painters.study.figures.Pareto;
import painters.study.recovery.RecoverySummary.Curve;
import painters.study.recovery.RecoverySummary.Row;

/**
 * What healing a plan costs. The gap is the control (the full model fine-tuned with the same policy, budget and data)
 * minus the frozen plan, in score units (nats per token for a perplexity); a run has healed a share f of it at the
 * first evaluated point at or past {@code frozen + f x gap} (its own frozen score, the mean control's final score).
 * Per plan and policy: the tokens (and training FLOPs) each seed's run takes to 90, 95 and 99% of the gap, their mean
 * with the seeds' standard error, and the inference compute the plan saves (block applications against the full
 * model's). A gap is measurable only when it exceeds {@link NoiseRule#Z} standard errors (both ends' seeds and items:
 * paired over the items where the runs kept them, {@link PairedItems});
 * a plan without one has nothing to heal that the errors can see. The front: the plans and policies that no other heals
 * to 90% with fewer tokens while saving at least as much compute.
 */
final class HealingCost {

    /** The shares of the gap a healing run is timed to. */
    static final List<Double> SHARES = List.of(0.90, 0.95, 0.99);

    /**
     * @param share  the share of the gap
     * @param tokens each seed's tokens at the first evaluated point at or past the target (-1: not within the budget)
     * @param flops  each seed's training FLOPs there (NaN: not reached, or not recorded)
     */
    record Reach(double share, long[] tokens, double[] flops) {

        int reached() {
            return (int) Arrays.stream(tokens).filter(t -> t >= 0).count();
        }

        boolean all() {
            return reached() == tokens.length;
        }

        /** The mean over the seeds, when every seed reached the target; NaN otherwise. */
        double meanTokens() {
            return all() ? Arrays.stream(tokens).average().orElse(Double.NaN) : Double.NaN;
        }

        /** The seeds' standard error of {@link #meanTokens} (sd / sqrt(seeds)); NaN with one seed or any not reached. */
        double seTokens() {
            return all() && tokens.length > 1
                    ? RecoverySummary.sd(Arrays.stream(tokens).asDoubleStream().toArray()) / Math.sqrt(tokens.length)
                    : Double.NaN;
        }

        double meanFlops() {
            return all() ? Arrays.stream(flops).average().orElse(Double.NaN) : Double.NaN;
        }
    }

    /**
     * One plan under one policy on one task, over its seeds.
     *
     * @param row     its summary row (the mean curve)
     * @param saved   inference compute the plan saves: 1 - applications / the full model's applications
     * @param gap     control minus frozen plan, in score units (NaN: no control)
     * @param gapSe   its standard error
     * @param reaches per share of {@link #SHARES}: the tokens each seed took (empty when the gap is not measurable)
     * @param healed  per seed, the share of the gap its run healed by its last point (empty when not measurable)
     */
    record Heal(Row row, double saved, double gap, double gapSe, List<Reach> reaches, double[] healed) {

        Heal(Row row, double saved, double gap, double gapSe, List<Reach> reaches) {
            this(row, saved, gap, gapSe, reaches, new double[0]);
        }

        /** The mean share of the gap healed at the end of the budget over the seeds (NaN: not measurable). */
        double healedMean() {
            return healed.length == 0 ? Double.NaN : Arrays.stream(healed).average().orElse(Double.NaN);
        }

        /** The seeds' standard error of {@link #healedMean} (NaN with one seed). */
        double healedSe() {
            return healed.length > 1 ? RecoverySummary.sd(healed) / Math.sqrt(healed.length) : Double.NaN;
        }

        boolean measurable() {
            return Double.isFinite(gap) && Double.isFinite(gapSe) && gap > NoiseRule.Z * gapSe;
        }

        /** The first share's reach (90%), or null when the gap is not measurable. */
        Reach first() {
            return reaches.isEmpty() ? null : reaches.get(0);
        }
    }

    private HealingCost() {}

    /** Every plan's healing cost (the controls themselves left out), in the rows' order. */
    static List<Heal> of(List<Curve> curves, List<Row> rows) {
        Map<String, List<Curve>> runs = RecoverySummary.groups(curves);
        Map<String, Curve> controls = new LinkedHashMap<>();
        int fullApplications = -1;
        for (Curve c : RecoverySummary.means(curves).values()) {
            if (c.variant().equals("full")) {
                controls.put(c.task() + "|" + c.policy() + "|" + c.split(), c);
                fullApplications = Math.max(fullApplications, c.applications());
            }
        }
        List<Heal> out = new ArrayList<>();
        for (Row r : rows) {
            Curve c = r.c();
            if (c.variant().equals("full")) {
                continue;
            }
            Curve control = controls.getOrDefault(c.task() + "|" + c.basePolicy() + "|" + c.split(),
                    controls.get(c.task() + "|" + c.basePolicy() + "|-1"));
            double saved = fullApplications > 0 && c.applications() >= 0
                    ? 1 - (double) c.applications() / fullApplications : Double.NaN;
            if (control == null) {
                out.add(new Heal(r, saved, Double.NaN, Double.NaN, List.of()));
                continue;
            }
            int last = control.values().size() - 1;
            double tuned = control.values().get(last);
            double gap = RecoverySummary.score(c, tuned) - RecoverySummary.score(c, c.values().get(0));
            double gapSe = RecoverySummary.quadrature(scoreSe(c, c.values().get(0), c.errors().get(0)),
                    scoreSe(c, tuned, control.errors().get(last)));
            // paired over the held-out items where every run kept them: the seeds' parts, and the items' part of the
            // difference replicate by replicate
            double pairedItems = PairedItems.differenceSe(PairedItems.mean(runs.get(control.group()), last),
                    PairedItems.mean(runs.get(c.group()), 0));
            if (Double.isFinite(pairedItems)) {
                gapSe = RecoverySummary.quadrature(RecoverySummary.quadrature(
                        RecoverySummary.seedsScoreSe(runs.get(c.group()), 0),
                        RecoverySummary.seedsScoreSe(runs.get(control.group()), last)), pairedItems);
            }
            Heal h = new Heal(r, saved, gap, gapSe, List.of());
            if (h.measurable()) {
                List<Curve> seeds = runs.get(c.group());
                double[] healed = new double[seeds.size()];
                for (int k = 0; k < seeds.size(); k++) {
                    Curve run = seeds.get(k);
                    double frozen = RecoverySummary.score(run, run.values().get(0));
                    healed[k] = (RecoverySummary.score(run, run.values().get(run.values().size() - 1)) - frozen)
                            / (RecoverySummary.score(run, tuned) - frozen);
                }
                List<Reach> reaches = new ArrayList<>();
                for (double f : SHARES) {
                    long[] tokens = new long[seeds.size()];
                    double[] flops = new double[seeds.size()];
                    for (int k = 0; k < seeds.size(); k++) {
                        Curve run = seeds.get(k);
                        int i = firstAtOrPast(run, RecoverySummary.score(run, run.values().get(0))
                                + f * (RecoverySummary.score(run, tuned) - RecoverySummary.score(run, run.values().get(0))));
                        tokens[k] = i < 0 ? -1 : run.tokens().get(i);
                        flops[k] = i < 0 ? Double.NaN : run.flops().get(i);
                    }
                    reaches.add(new Reach(f, tokens, flops));
                }
                h = new Heal(r, saved, gap, gapSe, List.copyOf(reaches), healed);
            }
            out.add(h);
        }
        return out;
    }

    /** The first point at or past {@code target} in score units (step 0 included), or -1. */
    static int firstAtOrPast(Curve run, double target) {
        for (int i = 0; i < run.values().size(); i++) {
            if (RecoverySummary.score(run, run.values().get(i)) >= target) {
                return i;
            }
        }
        return -1;
    }

    /** A standard error in score units: itself, or relative for a perplexity (d(-ln v) = dv / v). */
    private static double scoreSe(Curve c, double value, double se) {
        return c.higherIsBetter() ? se : se / value;
    }

    /** The plans and policies that healed 90% of a measurable gap with every seed (the tokens front's candidates). */
    static List<Heal> timed(List<Heal> heals) {
        return heals.stream().filter(h -> h.first() != null && h.first().all() && Double.isFinite(h.saved())).toList();
    }

    /** The plans and policies with a measurable gap, so a share healed by the budget's end (the budget front's). */
    static List<Heal> measured(List<Heal> heals) {
        return heals.stream().filter(h -> Double.isFinite(h.healedMean()) && Double.isFinite(h.saved())).toList();
    }

    /**
     * The plans and policies no other beats: fewer mean tokens to 90% of the gap (every seed reaching it) at no less
     * compute saved, by decreasing compute saved.
     */
    static List<Heal> front(List<Heal> heals) {
        return Pareto.front(timed(heals), h -> -h.saved(), h -> -h.first().meanTokens());
    }

    /**
     * The plans and policies no other beats within the budget: a larger mean share of a measurable gap healed by the
     * budget's end at no less compute saved, by decreasing compute saved. It exists where no plan heals 90% in time.
     */
    static List<Heal> budgetFront(List<Heal> heals) {
        return Pareto.front(measured(heals), h -> -h.saved(), Heal::healedMean);
    }

    /** {@code summary/healing.csv}: one row per plan, policy and task. */
    static String csv(List<Heal> heals) {
        List<String> header = new ArrayList<>(List.of("task", "policy", "variant", "split", "plan", "applications",
                "compute_saved", "seeds", "gap", "gap_se", "measurable"));
        for (double f : SHARES) {
            String p = String.format(Locale.ROOT, "%.0f", 100 * f);
            header.addAll(List.of("tokens_to_" + p, "tokens_to_" + p + "_se", "reached_" + p, "tokens_to_" + p
                    + "_by_seed", "flops_to_" + p));
        }
        header.addAll(List.of("healed_at_budget", "healed_at_budget_se", "auc_norm", "recovered", "recovered_se"));
        Csv csv = Csv.withHeader(header.toArray());
        for (Heal h : heals) {
            Curve c = h.row().c();
            List<Object> row = new ArrayList<>(List.of(c.task(), c.policy(), c.variant(), c.split(), c.plan(),
                    c.applications(), Csv.fixed(h.saved(), 6), h.row().seeds(), Csv.fixed(h.gap(), 6),
                    Csv.fixed(h.gapSe(), 6), h.measurable()));
            for (int i = 0; i < SHARES.size(); i++) {
                Reach r = i < h.reaches().size() ? h.reaches().get(i) : null;
                row.add(r == null ? "" : Csv.fixed(r.meanTokens(), 1));
                row.add(r == null ? "" : Csv.fixed(r.seTokens(), 1));
                row.add(r == null ? "" : r.reached() + "/" + r.tokens().length);
                row.add(r == null ? "" : String.join(" ", Arrays.stream(r.tokens()).mapToObj(Long::toString).toList()));
                row.add(r == null ? "" : Csv.fixed(r.meanFlops(), 1));
            }
            row.addAll(List.of(Csv.fixed(h.healedMean(), 6), Csv.fixed(h.healedSe(), 6), Csv.fixed(h.row().aucNorm(), 6),
                    Csv.fixed(h.row().m().recovered(), 6),
                    Csv.fixed(h.row().recoveredSe(), 6)));
            csv.row(row);
        }
        return csv.text();
    }

    /** A reach in words for the report: mean +- se tokens, or how many seeds got there within the budget. */
    static String tokens(Reach r) {
        if (r == null) {
            return "-";
        }
        if (!r.all()) {
            return r.reached() == 0 ? "not within the budget" : r.reached() + " of " + r.tokens().length + " seeds";
        }
        return Double.isFinite(r.seTokens()) ? String.format(Locale.ROOT, "%,.0f +- %,.0f", r.meanTokens(), r.seTokens())
                : String.format(Locale.ROOT, "%,.0f", r.meanTokens());
    }

    /** The report's healing section: the table, the front and what it says, in words. */
    static String section(List<Heal> heals, List<String> figures) {
        StringBuilder sb = new StringBuilder("## Healing: what each plan costs to heal\n\n");
        if (heals.isEmpty()) {
            return sb.append("No modified plans in this study.\n\n").toString();
        }
        sb.append("Gap = the control (the full model fine-tuned with the same policy, budget and data, final score) minus ")
                .append("the frozen plan, in score units (nats per token for perplexities), `+-` its standard error (seeds ")
                .append("and items of both ends, the items paired where the runs kept their held-out items); measurable beyond ").append(String.format(Locale.ROOT, "%.0f", NoiseRule.Z))
                .append(" standard errors. Tokens to f: each seed's run reaches its frozen score + f x gap at the first ")
                .append("evaluated point (so to the evaluation interval); mean +- the seeds' standard error, or how many ")
                .append("seeds got there within the budget. Healed in the budget: the share of the gap each seed's run ")
                .append("closed by its last point (its final minus frozen score over the control's final minus it), mean ")
                .append("+- the seeds' standard error. Compute saved: 1 - the plan's block applications / the full ")
                .append("model's (inference). Training FLOPs to 90% are in `summary/healing.csv` (6 x parameters applied ")
                .append("per token + the attention term, Kaplan et al. 2020; an upper bound for policies that train only the ")
                .append("top blocks).\n\n");
        sb.append("| task | policy | variant | s | plan | compute saved | gap +- se | tokens to 90% | to 95% | to 99% "
                + "| healed in the budget | norm. AUC |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Heal h : heals) {
            Curve c = h.row().c();
            String gap = Double.isNaN(h.gap()) ? "no control" : String.format(Locale.ROOT, "%.4f +- %.4f%s", h.gap(),
                    h.gapSe(), h.measurable() ? "" : " (not measurable)");
            String healed = healedText(h);
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | `%s` | %s | %s | %s | %s | %s | %s | %s |%n",
                    c.task() + (c.higherIsBetter() ? "" : " (" + c.metric() + ")"), c.policy(), c.variant(),
                    c.split() >= 0 ? Integer.toString(c.split()) : "-", c.plan(),
                    Double.isFinite(h.saved()) ? String.format(Locale.ROOT, "%.0f%%", 100 * h.saved()) : "-", gap,
                    tokens(reach(h, 0)), tokens(reach(h, 1)), tokens(reach(h, 2)), healed,
                    Double.isNaN(h.row().aucNorm()) ? "-" : String.format(Locale.ROOT, "%.3f", h.row().aucNorm())));
        }
        for (String task : heals.stream().map(h -> h.row().c().task()).distinct().toList()) {
            List<Heal> front = front(heals.stream().filter(h -> h.row().c().task().equals(task)).toList());
            sb.append("\n**").append(task).append("**: ");
            if (front.isEmpty()) {
                sb.append("no plan healed to 90% of a measurable gap with every seed, so there is no front.\n");
                continue;
            }
            sb.append("the front of compute saved against tokens to heal 90% of the gap (no other plan and policy heals "
                    + "with fewer tokens while saving as much): ");
            List<String> points = new ArrayList<>();
            for (Heal h : front) {
                points.add(String.format(Locale.ROOT, "`%s` under %s saves %.0f%% of the blocks and heals in %s tokens",
                        h.row().c().plan(), h.row().c().policy(), 100 * h.saved(), tokens(h.first())));
            }
            sb.append(String.join("; ", points)).append(".\n");
        }
        for (String task : heals.stream().map(h -> h.row().c().task()).distinct().toList()) {
            List<Heal> front = budgetFront(heals.stream().filter(h -> h.row().c().task().equals(task)).toList());
            if (front.isEmpty()) {
                continue;
            }
            List<String> points = new ArrayList<>();
            for (Heal h : front) {
                points.add(String.format(Locale.ROOT, "`%s` under %s saves %.0f%% of the blocks and heals %s",
                        h.row().c().plan(), h.row().c().policy(), 100 * h.saved(), healedText(h)));
            }
            sb.append("\n**").append(task).append("**, within the budget: the front of compute saved against the share ")
                    .append("of the gap healed by the budget's end (no other plan and policy heals more while saving as ")
                    .append("much): ").append(String.join("; ", points)).append(".\n");
        }
        long none = heals.stream().filter(h -> !Double.isNaN(h.gap()) && !h.measurable()).count();
        if (none > 0) {
            sb.append("\n").append(none).append(none == 1 ? " plan has" : " plans have").append(" no gap to the control ")
                    .append("beyond the errors: nothing the errors can see to heal.\n");
        }
        sb.append("\n");
        for (String f : figures) {
            sb.append("![").append(f).append("](figures/").append(f).append(")\n");
        }
        return sb.append("\n").toString();
    }

    /** The share healed by the budget's end in words: mean +- the seeds' se, a percentage ("-" when unmeasurable). */
    static String healedText(Heal h) {
        return Double.isNaN(h.healedMean()) ? "-" : Double.isNaN(h.healedSe())
                ? String.format(Locale.ROOT, "%.1f%%", 100 * h.healedMean())
                : String.format(Locale.ROOT, "%.1f +- %.1f%%", 100 * h.healedMean(), 100 * h.healedSe());
    }

    private static Reach reach(Heal h, int i) {
        return i < h.reaches().size() ? h.reaches().get(i) : null;
    }
}
