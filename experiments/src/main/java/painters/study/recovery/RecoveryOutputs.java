package painters.study.recovery;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import painters.eval.io.Csv;
import painters.model.family.ModelFamilies;
import painters.model.io.AtomicFiles;
import painters.results.Results;
import painters.study.NoiseRule;
import painters.study.StudySpec;
import painters.study.figures.Charts;
import painters.study.finetune.RecoverySettings;
import painters.study.recovery.RecoverySummary.Curve;
import painters.study.recovery.RecoverySummary.Row;

/**
 * A recovery study's outputs from its {@link RecoverySummary}: the summary table ({@code summary/recovery.csv}), every
 * plan's mean curve with each point's standard error ({@code summary/curves.csv}), recovery curves with error bars,
 * frozen-vs-recovered bars, the paper's A.2 figure (normalised score vs % layers skipped, frozen and fine-tuned), what
 * healing each plan costs ({@link HealingCost}: {@code summary/healing.csv}, the compute-saved vs healing-tokens figure)
 * and {@code report.md}.
 */
public final class RecoveryOutputs {

    private RecoveryOutputs() {}

    /** @param protocol what step 0 is and what the runs train, in a sentence for the report */
    public static void write(Path dir, StudySpec spec, int numLayers, String protocol) throws IOException {
        write(dir, spec, numLayers, protocol, Map.of());
    }

    /** @param leftOut runs that cannot train (plan, target and policy in words), with the reason each was left out */
    public static void write(Path dir, StudySpec spec, int numLayers, String protocol, Map<String, String> leftOut)
            throws IOException {
        List<Curve> curves = RecoverySummary.curves(dir.resolve(Results.FILE));
        double fraction = spec.settings(RecoverySettings.class).recoverFraction();
        List<Row> rows = RecoverySummary.summarise(curves, fraction);
        Files.createDirectories(dir.resolve("summary"));
        Files.createDirectories(dir.resolve("figures"));
        AtomicFiles.writeString(dir.resolve("summary").resolve("recovery.csv"), recoveryCsv(rows));
        AtomicFiles.writeString(dir.resolve("summary").resolve("curves.csv"), curvesCsv(rows));
        List<String> figures = new ArrayList<>();
        for (String task : rows.stream().map(r -> r.c().task()).distinct().toList()) {
            for (String policy : rows.stream().map(r -> r.c().policy()).distinct().toList()) {
                List<Row> sel = rows.stream().filter(r -> r.c().task().equals(task) && r.c().policy().equals(policy)).toList();
                if (sel.isEmpty()) {
                    continue;
                }
                String base = slug(task + "_" + policy);
                for (int s : sel.stream().map(r -> r.c().split()).filter(x -> x >= 0).distinct().sorted().toList()) {
                    String f = "recovery_" + base + "_s" + s + ".png";
                    curvesChart(dir.resolve("figures").resolve(f), sel, s, task + ", " + policy + ", split s=" + s, false);
                    figures.add(f);
                    String ft = "recovery_tokens_" + base + "_s" + s + ".png";
                    curvesChart(dir.resolve("figures").resolve(ft), sel, s, task + ", " + policy + ", split s=" + s, true);
                    figures.add(ft);
                }
                String bars = "frozen_vs_recovered_" + base + ".png";
                bars(dir.resolve("figures").resolve(bars), sel, task + ", " + policy);
                figures.add(bars);
                if (sel.stream().anyMatch(r -> r.c().variant().equals("skip"))) {
                    String a2 = "a2_" + base + ".png";
                    a2(dir.resolve("figures").resolve(a2), sel, numLayers, task + ", " + policy);
                    figures.add(a2);
                }
            }
        }
        List<HealingCost.Heal> heals = HealingCost.of(curves, rows);
        AtomicFiles.writeString(dir.resolve("summary").resolve("healing.csv"), HealingCost.csv(heals));
        List<String> healing = new ArrayList<>();
        for (String task : heals.stream().map(h -> h.row().c().task()).distinct().toList()) {
            String f = "healing_" + slug(task) + ".png";
            if (HealingFigure.write(dir.resolve("figures").resolve(f),
                    heals.stream().filter(h -> h.row().c().task().equals(task)).toList(), task)) {
                healing.add(f);
            }
            String b = "healing_budget_" + slug(task) + ".png";
            if (HealingFigure.writeBudget(dir.resolve("figures").resolve(b),
                    heals.stream().filter(h -> h.row().c().task().equals(task)).toList(), task)) {
                healing.add(b);
            }
        }
        AtomicFiles.writeString(dir.resolve("report.md"), report(spec, rows, figures, numLayers, protocol)
                + "\n" + HealingCost.section(heals, healing) + RepairCost.section(Results.read(dir.resolve(Results.FILE)))
                + leftOutSection(leftOut));
    }

    /** The runs the study left out because they cannot train, with why (empty when none). */
    static String leftOutSection(Map<String, String> leftOut) {
        if (leftOut.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%n## Runs that cannot train%n%n%d combination(s) "
                + "of plan and policy were left out (every seed and repair of each):%n%n| run | why |%n|---|---|%n",
                leftOut.size()));
        leftOut.forEach((run, why) -> sb.append("| ").append(run.replace("|", "/")).append(" | ")
                .append(why.replace("|", "/")).append(" |\n"));
        return sb.toString();
    }

    /**
     * Every plan's mean curve, point by point: step, tokens, the mean over seeds and its standard error (seeds and
     * items, {@link RecoverySummary#pointSe}).
     */
    static String curvesCsv(List<Row> rows) {
        Csv csv = Csv.withHeader("task", "policy", "variant", "split", "affected", "plan_seed", "plan", "metric", "seeds",
                "step", "tokens", "value", "se");
        for (Row r : rows) {
            Curve c = r.c();
            for (int i = 0; i < c.values().size(); i++) {
                csv.row(c.task(), c.policy(), c.variant(), c.split(), c.affected(), c.planSeed(), c.plan(), c.metric(),
                        r.seeds(), c.steps().get(i), c.tokens().get(i), Csv.fixed(c.values().get(i), 6),
                        Csv.fixed(c.errors().get(i), 6));
            }
        }
        return csv.text();
    }

    private static void curvesChart(Path file, List<Row> rows, int split, String title, boolean byTokens)
            throws IOException {
        XYChart ch = new XYChartBuilder().width(900).height(560).title("recovery: " + title)
                .xAxisTitle(byTokens ? "training tokens seen" : "optimizer step")
                .yAxisTitle(rows.get(0).c().metric() + " (held-out)").build();
        Charts.style(ch);
        ch.getStyler().setYAxisLogarithmic(!rows.get(0).c().higherIsBetter());    // perplexities span decades
        Map<String, List<Row>> byVariant = new TreeMap<>();
        for (Row r : rows) {
            if (r.c().split() == split || (r.c().variant().equals("full") && r.c().split() < 0)) {
                byVariant.computeIfAbsent(r.c().variant(), k -> new ArrayList<>()).add(r);
            }
        }
        for (Map.Entry<String, List<Row>> e : byVariant.entrySet()) {
            List<Row> rs = e.getValue();
            // mean over plan seeds (random order); curves share their evaluation steps
            List<Integer> steps = rs.get(0).c().steps();
            double[] x = byTokens ? rs.get(0).c().tokens().stream().mapToDouble(Long::doubleValue).toArray()
                    : steps.stream().mapToDouble(Integer::doubleValue).toArray();
            double[] y = new double[steps.size()];
            double[] err = new double[steps.size()];
            for (Row r : rs) {
                for (int i = 0; i < y.length && i < r.c().values().size(); i++) {
                    y[i] += r.c().values().get(i) / rs.size();
                    double se = r.c().errors().get(i);
                    err[i] += Double.isFinite(se) ? se * se / ((double) rs.size() * rs.size()) : 0;
                }
            }
            // error bars: each point's standard error (seeds and items), of the mean over plan seeds where several
            boolean bars = Arrays.stream(err).anyMatch(v -> v > 0) && rows.get(0).c().higherIsBetter();
            XYSeries s = bars ? ch.addSeries(e.getKey(), x, y, Arrays.stream(err).map(Math::sqrt).toArray())
                    : ch.addSeries(e.getKey(), x, y);
            Color col = Charts.COLORS.getOrDefault(e.getKey(), Color.DARK_GRAY);
            s.setLineColor(col);
            s.setMarkerColor(col);
        }
        AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(ch, BitmapEncoder.BitmapFormat.PNG));
    }

    private static void bars(Path file, List<Row> rows, String title) throws IOException {
        List<String> labels = new ArrayList<>();
        List<Double> frozen = new ArrayList<>();
        List<Double> recovered = new ArrayList<>();
        for (Row r : rows) {
            labels.add(r.c().variant() + (r.c().split() >= 0 ? " s" + r.c().split() : "")
                    + (r.c().planSeed() >= 0 ? " #" + r.c().planSeed() : ""));
            frozen.add(r.m().frozen());
            recovered.add(r.m().recovered());
        }
        CategoryChart ch = new CategoryChartBuilder().width(Math.max(900, 40 * labels.size())).height(560)
                .title("frozen vs recovered: " + title).yAxisTitle(rows.get(0).c().metric() + " (held-out)").build();
        ch.getStyler().setChartBackgroundColor(Color.WHITE);
        ch.getStyler().setXAxisLabelRotation(60);
        ch.addSeries("frozen (step 0)", labels, frozen);
        ch.addSeries("fine-tuned (last step)", labels, recovered);
        AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(ch, BitmapEncoder.BitmapFormat.PNG));
    }

    /**
     * The paper's A.2 plot: frozen and fine-tuned score vs % of layers skipped; normalised where the
     * metric has a chance level, raw otherwise (held-out perplexity).
     */
    private static void a2(Path file, List<Row> rows, int numLayers, String title) throws IOException {
        // the full model is the 0% point
        List<Row> skip = rows.stream().filter(r -> r.c().variant().equals("skip") || r.c().variant().equals("full"))
                .sorted(Comparator.comparingInt(r -> r.c().affected())).toList();
        boolean norm = skip.get(0).c().normalisable();
        Map<Integer, double[]> byAffected = new TreeMap<>();
        for (Row r : skip) {
            byAffected.putIfAbsent(r.c().affected(), norm ? new double[] {r.frozenNorm(), r.recoveredNorm()}
                    : new double[] {r.m().frozen(), r.m().recovered()});
        }
        double[] x = byAffected.keySet().stream().mapToDouble(a -> 100.0 * a / numLayers).toArray();
        double[] fz = byAffected.values().stream().mapToDouble(v -> v[0]).toArray();
        double[] ft = byAffected.values().stream().mapToDouble(v -> v[1]).toArray();
        XYChart ch = new XYChartBuilder().width(900).height(560).title("A.2: " + title)
                .xAxisTitle("% of layers skipped").yAxisTitle(norm ? "normalised score (1 = frozen full model)"
                        : skip.get(0).c().metric() + " (held-out, log scale)").build();
        Charts.style(ch);
        ch.getStyler().setYAxisLogarithmic(!norm);
        for (Object[] series : new Object[][] {{"frozen", fz, new Color(0x1f77b4)}, {"fine-tuned", ft, new Color(0xd62728)}}) {
            XYSeries s = ch.addSeries((String) series[0], x, (double[]) series[1]);
            s.setLineColor((Color) series[2]);
            s.setMarkerColor((Color) series[2]);
        }
        AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(ch, BitmapEncoder.BitmapFormat.PNG));
    }

    static String report(StudySpec spec, List<Row> rows, List<String> figures, int numLayers, String protocol) {
        StringBuilder sb = new StringBuilder("# Recovery study " + spec.name() + "\n\n");
        if (!spec.description().isEmpty()) {
            sb.append(spec.description()).append("\n\n");
        }
        ModelFamilies.surgeryNotes(spec.model()).forEach(n -> sb.append(n).append("\n\n"));
        RecoverySettings ft = spec.settings(RecoverySettings.class);
        sb.append(String.format(Locale.ROOT, "Model `%s`; tasks %s; policies %s; %d AdamW steps (lr %.1e, %s schedule, "
                        + "warm-up %s, batch %d x %d, clip %.1f, weight decay %.2f), evaluation every %d steps on the held-out "
                        + "split. %s Every number comes from `results.jsonl`; the table is "
                        + "`summary/recovery.csv`.%n%n", spec.model(), spec.tasks(), ft.policies(), ft.steps(),
                ft.learningRate(), ft.schedule(), ft.warmupSteps() >= 0 ? Integer.toString(ft.warmupSteps()) : "10%",
                ft.batchSize(), ft.gradAccum(), ft.clipNorm(), ft.weightDecay(), ft.evalEvery(), protocol));
        sb.append("Normalised = (score - chance) / (frozen full model - chance). Each plan runs with ").append(ft.seeds())
                .append(ft.seeds() == 1 ? " seed" : " seeds").append(" (data order, head initialisation, training ")
                .append("subsample); curves and the table are the mean over them, and `+-` is the standard error of the ")
                .append("recovered score: the spread between seeds / sqrt(seeds), with the items' error (the bootstrap ")
                .append("over the held-out items; for held-out perplexity over its windows) in quadrature; every curve ")
                .append("point's error is in `summary/curves.csv` and on the curves. Steps to ")
                .append("recover: first evaluated step at ").append(String.format(Locale.ROOT, "%.0f%%", 100 * ft.recoverFraction()))
                .append(" of the fine-tuned full model's score above chance (without a chance level, as for held-out ")
                .append("perplexity: that share of the way, in log space, from the run's frozen score to the fine-tuned ")
                .append("full model's; -1: never, or no target because the fine-tuned full model is within 0.05 of ")
                .append("chance), for the mean curve, then each seed's run in brackets (evaluated every ")
                .append(ft.evalEvery()).append(" steps: a step count is known to that resolution). Gap closed ")
                .append("= (recovered - frozen) / (frozen full - frozen), against the frozen full model; **vs control** ")
                .append("= 1 - (fine-tuned full - recovered) / (frozen full - frozen), against the full model fine-tuned ")
                .append("with the same policy, budget and data, so what fine-tuning gives any model (adapting to the ")
                .append("data) does not count as recovery; both in nats per token (log perplexity) for perplexities, ")
                .append("`+-` their standard error (the delta method over the seeds' spread, each seed's run paired ")
                .append("with the control's run of the same seed, and the items' error of both ends, unpaired where ")
                .append("the per-item scores of curve points are not kept: an upper bound). ")
                .append("Perplexities are not normalised (\"-\").\n\n");
        sb.append("| task | policy | variant | s | |M| | plan | trainable | seeds | frozen | recovered | norm. frozen | "
                + "norm. recovered | norm. AUC | steps to recover | gap closed | vs control |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            Curve c = r.c();
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %d | `%s` | %,d | %d | %.4f | %s | %s | %s | %s | %s "
                            + "| %s | %s |%n",
                    c.task() + (c.higherIsBetter() ? "" : " (" + c.metric() + ")"), c.policy(), c.variant(),
                    c.split() >= 0 ? Integer.toString(c.split()) : "-", c.affected(), c.plan(), c.trainable(), r.seeds(),
                    r.m().frozen(), Double.isFinite(r.recoveredSe()) ? String.format(Locale.ROOT, "%.4f +- %.4f",
                            r.m().recovered(), r.recoveredSe()) : String.format(Locale.ROOT, "%.4f", r.m().recovered()),
                    num(r.frozenNorm()), num(r.recoveredNorm()), num(r.aucNorm()), r.m().stepsToTarget()
                            + (r.seeds() > 1 ? " " + r.steps() : ""), num(r.gapClosed(), r.gapClosedSe()),
                    num(r.gapVsControl(), r.gapVsControlSe())));
        }
        sb.append("\n## Figures\n\n");
        for (String f : figures) {
            sb.append("![").append(f).append("](figures/").append(f).append(")\n");
        }
        sb.append("\n").append(a2Verdict(rows, numLayers));
        return sb.toString();
    }

    /**
     * The paper's A.2 question on this study's skip runs: does fine-tuning help below ~30% skipped and hurt above? A
     * run "helps" when fine-tuned minus frozen (normalised; for a perplexity, nats per token) is above 0 by more than
     * {@link NoiseRule#Z} standard errors (seeds and items), "hurts" below, and is "within the errors" otherwise; with no
     * error known (one seed, no item error) it is not called.
     */
    static String a2Verdict(List<Row> rows, int numLayers) {
        List<Row> skip = rows.stream().filter(r -> r.c().variant().equals("skip")).toList();
        if (skip.isEmpty()) {
            return "## A.2\n\nNo skip runs in this study.\n";
        }
        StringBuilder sb = new StringBuilder("## A.2: fine-tuning with layers skipped\n\n| task | policy | % skipped | "
                + "frozen (norm.) | fine-tuned (norm.) | change +- se | fine-tuning |\n|---|---|---|---|---|---|---|\n");
        for (Row r : skip) {
            double pct = 100.0 * r.c().affected() / numLayers;
            boolean norm = r.c().normalisable();
            double d = r.change();
            double se = r.changeSe();
            String call = Double.isNaN(d) ? "n/a" : !Double.isFinite(se) ? "no error known" : d > NoiseRule.Z * se ? "helps"
                    : d < -NoiseRule.Z * se ? "hurts" : "within the errors";
            sb.append(String.format(Locale.ROOT, "| %s | %s | %.0f%% | %s | %s | %s | %s |%n",
                    r.c().task() + (norm ? "" : " (" + r.c().metric() + ", raw; change in nats per token)"),
                    r.c().policy(), pct,
                    norm ? num(r.frozenNorm()) : String.format(Locale.ROOT, "%.3f", r.m().frozen()),
                    norm ? num(r.recoveredNorm()) : String.format(Locale.ROOT, "%.3f", r.m().recovered()),
                    Double.isNaN(d) ? "-" : Double.isFinite(se) ? String.format(Locale.ROOT, "%+.3f +- %.3f", d, se)
                            : String.format(Locale.ROOT, "%+.3f", d), call));
        }
        sb.append("\nThe paper (Llama2-7B, ARC, full fine-tuning): helps below ~30% skipped, hurts above. \"helps\"/"
                + "\"hurts\" means the change is beyond ").append(String.format(Locale.ROOT, "%.0f", NoiseRule.Z))
                .append(" standard errors (between seeds, and the items' error of both ends).\n");
        return sb.toString();
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }

    /** {@code summary/recovery.csv}: one row per plan, policy and task ({@link RecoverySummary.Row}). */
    static String recoveryCsv(List<Row> rows) {
        Csv csv = Csv.withHeader("task", "policy", "variant", "split", "affected", "plan_seed", "plan", "trainable_params",
                "seeds", "frozen", "recovered", "recovered_se", "frozen_norm", "recovered_norm", "auc_norm",
                "steps_to_recover", "steps_to_recover_by_seed", "gap_closed", "gap_closed_se", "gap_closed_vs_control",
                "gap_closed_vs_control_se", "change", "change_se");
        for (Row r : rows) {
            Curve c = r.c();
            csv.row(c.task(), c.policy(), c.variant(), c.split(), c.affected(), c.planSeed(), c.plan(), c.trainable(),
                    r.seeds(), Csv.fixed(r.m().frozen(), 6), Csv.fixed(r.m().recovered(), 6), Csv.fixed(r.recoveredSe(), 6),
                    Csv.fixed(r.frozenNorm(), 6), Csv.fixed(r.recoveredNorm(), 6), Csv.fixed(r.aucNorm(), 6),
                    r.m().stepsToTarget(), r.steps().stream().map(String::valueOf).collect(Collectors
                            .joining(" ")), Csv.fixed(r.gapClosed(), 6), Csv.fixed(r.gapClosedSe(), 6),
                    Csv.fixed(r.gapVsControl(), 6), Csv.fixed(r.gapVsControlSe(), 6),
                    Csv.fixed(r.change(), 6), Csv.fixed(r.changeSe(), 6));
        }
        return csv.text();
    }

    /** A value with its standard error where one is known. */
    private static String num(double v, double se) {
        return Double.isNaN(v) || !Double.isFinite(se) ? num(v) : String.format(Locale.ROOT, "%.3f +- %.3f", v, se);
    }

    static String slug(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]+", "_");
    }
}
