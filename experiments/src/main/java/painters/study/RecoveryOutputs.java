package painters.study;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import painters.eval.io.Csv;
import painters.eval.metric.Metric;
import painters.model.io.AtomicFiles;
import painters.results.ResultRow;
import painters.results.Results;
import painters.training.RecoveryMetrics;

/**
 * A recovery study's outputs from its results: the summary table (frozen, recovered, normalised,
 * area under the curve, steps to recover, gap closed, trainable parameters per run), recovery curves,
 * frozen-vs-recovered bars, the paper's A.2 figure (normalised score vs % layers skipped, frozen and
 * fine-tuned) and {@code report.md}.
 *
 * <p>Normalised score = (score - chance) / (frozen full model - chance), as in the frozen study, so
 * step 0 matches it and a fine-tuned model may exceed 1. Steps to recover: first evaluated step at
 * chance + f x (fine-tuned full model - chance), the full model fine-tuned with the same policy
 * (and split, for split-defined policies). Gap closed: (recovered - frozen) / (frozen full - frozen).
 */
public final class RecoveryOutputs {

    /**
     * One run's curve of a task's primary score (a decoder's run has one per task: held-out perplexity
     * and each language-model task).
     */
    record Curve(String task, String policy, String variant, int split, int affected, long planSeed, String plan,
                 long trainable, double chance, List<Integer> steps, List<Double> values, List<Long> tokens,
                 String metric, boolean higherIsBetter, long seed, int n) {

        /** Normalised scores exist for higher-is-better metrics with a chance level. */
        boolean normalisable() {
            return higherIsBetter && !Double.isNaN(chance);
        }

        /** The runs of one plan under one policy on one task, whatever their seed. */
        String group() {
            return task + "|" + policy + "|" + variant + "|" + split + "|" + planSeed + "|" + plan;
        }

        /** Whether the metric is a proportion over its {@code n} items (binomial item error). */
        boolean proportion() {
            return List.of("accuracy", "acc_norm", "exact_match").contains(metric) && n > 0;
        }
    }

    /**
     * One plan's summary over its seeds.
     *
     * @param c             the mean curve over the seeds (values averaged step by step)
     * @param m             the metrics of the mean curve
     * @param seeds         runs averaged
     * @param recoveredSe   standard error of the recovered score: between seeds (sd / sqrt(seeds)) and, for a
     *                      proportion, the items' binomial error, in quadrature; NaN when neither is known
     * @param steps         steps to recover of each seed's run (-1: never)
     * @param gapClosed     (recovered - frozen) / (frozen full - frozen), in log space (nats per token) for perplexities
     * @param gapVsControl  1 - (fine-tuned full - recovered) / (frozen full - frozen), in log space (nats per token)
     *                      for perplexities: the share of the plan's frozen gap that is gone once the control (the
     *                      full model fine-tuned with the same policy, budget and data) is the reference
     * @param change        fine-tuned minus frozen, normalised (or in nats per token for a perplexity: ln frozen -
     *                      ln recovered, > 0 better), with its standard error {@code changeSe}
     */
    record Row(Curve c, RecoveryMetrics m, double frozenNorm, double recoveredNorm, double aucNorm, int seeds,
               double recoveredSe, List<Integer> steps, double gapClosed, double gapVsControl, double change,
               double changeSe) {}

    private RecoveryOutputs() {}

    /** @param protocol what step 0 is and what the runs train, in a sentence for the report */
    public static void write(Path dir, StudySpec spec, int numLayers, String protocol) throws IOException {
        List<Curve> curves = curves(dir.resolve(StudyRunner.RESULTS));
        double fraction = spec.finetune().recoverFraction();
        List<Row> rows = summarise(curves, fraction);
        Files.createDirectories(dir.resolve("summary"));
        Files.createDirectories(dir.resolve("figures"));
        Csv csv = Csv.withHeader("task", "policy", "variant", "split", "affected", "plan_seed", "plan", "trainable_params",
                "seeds", "frozen", "recovered", "recovered_se", "frozen_norm", "recovered_norm", "auc_norm",
                "steps_to_recover", "steps_to_recover_by_seed", "gap_closed", "gap_closed_vs_control", "change",
                "change_se");
        for (Row r : rows) {
            Curve c = r.c();
            csv.row(c.task(), c.policy(), c.variant(), c.split(), c.affected(), c.planSeed(), c.plan(), c.trainable(),
                    r.seeds(), Csv.fixed(r.m().frozen(), 6), Csv.fixed(r.m().recovered(), 6), Csv.fixed(r.recoveredSe(), 6),
                    Csv.fixed(r.frozenNorm(), 6), Csv.fixed(r.recoveredNorm(), 6), Csv.fixed(r.aucNorm(), 6),
                    r.m().stepsToTarget(), r.steps().stream().map(String::valueOf).collect(java.util.stream.Collectors
                            .joining(" ")), Csv.fixed(r.gapClosed(), 6), Csv.fixed(r.gapVsControl(), 6),
                    Csv.fixed(r.change(), 6), Csv.fixed(r.changeSe(), 6));
        }
        AtomicFiles.writeString(dir.resolve("summary").resolve("recovery.csv"), csv.text());
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
        AtomicFiles.writeString(dir.resolve("report.md"), report(spec, rows, figures, numLayers, protocol));
    }

    static List<Curve> curves(Path results) throws IOException {
        Map<String, List<ResultRow>> byRun = new LinkedHashMap<>();
        for (ResultRow r : Results.read(results)) {
            if (r.training() != null && r.sweep() == null && r.score().primary()) {
                byRun.computeIfAbsent(r.cell() + "|" + r.score().task(), k -> new ArrayList<>()).add(r);
            }
        }
        List<Curve> out = new ArrayList<>();
        for (List<ResultRow> pts : byRun.values()) {
            pts.sort(Comparator.comparingInt(r -> r.training().step()));
            ResultRow f = pts.get(0);
            ResultRow.PlanPart p = f.plan();
            String metric = f.score().metric();
            out.add(new Curve(f.score().task(), f.training().policy(), p.variant(), p.split(), p.affected(), p.planSeed(),
                    p.plan(), f.training().trainableParams(), f.score().chance(),
                    pts.stream().map(r -> r.training().step()).toList(),
                    pts.stream().map(r -> r.score().value()).toList(),
                    pts.stream().map(r -> r.training().tokens()).toList(), metric, Metric.parse(metric).higherIsBetter(),
                    f.score().headSeed(), f.score().n()));
        }
        return out;
    }

    /**
     * One row per plan, policy and task, over its seeds: the mean curve's metrics, with errors from the seeds (and the
     * items, for proportions). Targets and gaps are taken against the fine-tuned full model (the control, same policy
     * and split), in log space for perplexities.
     */
    static List<Row> summarise(List<Curve> curves, double fraction) {
        Map<String, List<Curve>> groups = new LinkedHashMap<>();
        curves.forEach(c -> groups.computeIfAbsent(c.group(), k -> new ArrayList<>()).add(c));
        Map<String, Curve> mean = new LinkedHashMap<>();
        groups.forEach((k, g) -> mean.put(k, mean(g)));
        Map<String, Double> frozenFull = new LinkedHashMap<>();
        Map<String, Double> tunedFull = new LinkedHashMap<>();
        for (Curve c : mean.values()) {
            if (c.variant().equals("full")) {
                frozenFull.putIfAbsent(c.task(), c.values().get(0));
                tunedFull.put(c.task() + "|" + c.policy() + "|" + c.split(), c.values().get(c.values().size() - 1));
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, List<Curve>> e : groups.entrySet()) {
            Curve c = mean.get(e.getKey());
            List<Curve> runs = e.getValue();
            double chance = c.chance();
            Double ff = frozenFull.get(c.task());
            Double tf = tunedFull.getOrDefault(c.task() + "|" + c.policy() + "|" + c.split(),
                    tunedFull.get(c.task() + "|" + c.policy() + "|-1"));
            List<Integer> steps = runs.stream().map(r -> metrics(r, tf, fraction, ff).stepsToTarget()).toList();
            RecoveryMetrics m = metrics(c, tf, fraction, ff);
            boolean norm = c.normalisable() && ff != null && ff - chance >= StudyTable.MIN_FULL_ABOVE_CHANCE;
            double scale = norm ? ff - chance : Double.NaN;
            // seed-to-seed spread and the items' error of the last point and of step 0, in the row's units
            double[] last = runs.stream().mapToDouble(r -> r.values().get(r.values().size() - 1)).toArray();
            double[] delta = runs.stream().mapToDouble(r -> score(r, r.values().get(r.values().size() - 1))
                    - score(r, r.values().get(0))).toArray();
            double seedSe = runs.size() > 1 ? sd(last) / Math.sqrt(runs.size()) : Double.NaN;
            double itemSe = c.proportion() ? painters.eval.metric.Bootstrap.binomial(m.recovered(), c.n()) : Double.NaN;
            double frozenItemSe = c.proportion() ? painters.eval.metric.Bootstrap.binomial(m.frozen(), c.n()) : Double.NaN;
            double recoveredSe = quadrature(seedSe, itemSe);
            double change = java.util.Arrays.stream(delta).average().orElse(Double.NaN) / (norm ? scale : 1);
            double changeSe = quadrature(runs.size() > 1 ? sd(delta) / Math.sqrt(runs.size()) : Double.NaN,
                    c.proportion() ? Math.hypot(itemSe, frozenItemSe) : Double.NaN) / (norm ? scale : 1);
            if (c.normalisable() && !norm) {
                change = Double.NaN;
            }
            double gap0 = ff == null ? Double.NaN : score(c, ff) - score(c, m.frozen());
            double gap1 = tf == null ? Double.NaN : score(c, tf) - score(c, m.recovered());
            double control = c.variant().equals("full") || Math.abs(gap0) < 1e-12 ? Double.NaN : 1 - gap1 / gap0;
            double closed = Math.abs(gap0) < 1e-12 ? Double.NaN : (score(c, m.recovered()) - score(c, m.frozen())) / gap0;
            rows.add(new Row(c, m, norm ? (m.frozen() - chance) / scale : Double.NaN,
                    norm ? (m.recovered() - chance) / scale : Double.NaN, norm ? (m.auc() - chance) / scale : Double.NaN,
                    runs.size(), recoveredSe, steps, closed, control, change, changeSe));
        }
        rows.sort(Comparator.comparing((Row r) -> r.c().task()).thenComparing(r -> r.c().policy())
                .thenComparing(r -> r.c().variant()).thenComparingInt(r -> r.c().split()));
        return rows;
    }

    /**
     * A curve's metrics: the target is chance + f x (fine-tuned full - chance); without a chance level (held-out
     * perplexity) f of the way from the run's frozen score to the fine-tuned full model's, in log space; none where the
     * fine-tuned full model is not clearly above chance (every step would reach it).
     */
    static RecoveryMetrics metrics(Curve c, Double tf, double fraction, Double ff) {
        double chance = c.chance();
        boolean meaningful = tf != null && (Double.isNaN(chance) || tf - chance >= StudyTable.MIN_FULL_ABOVE_CHANCE);
        double target = Double.NaN;
        if (meaningful) {
            if (!c.higherIsBetter() && Double.isNaN(chance)) {
                double from = Math.log(c.values().get(0));
                target = Math.exp(from + fraction * (Math.log(tf) - from));
            } else {
                double from = Double.isNaN(chance) ? c.values().get(0) : chance;
                target = from + fraction * (tf - from);
            }
        }
        return RecoveryMetrics.of(c.steps(), c.values(), target, ff == null ? Double.NaN : ff, c.higherIsBetter());
    }

    /** A value in units where higher is better and differences mean something: -ln of a perplexity (nats), else itself. */
    static double score(Curve c, double v) {
        return c.higherIsBetter() ? v : -Math.log(v);
    }

    /** The step-by-step mean of curves that share their evaluation steps (the runs of one plan over seeds). */
    static Curve mean(List<Curve> runs) {
        Curve f = runs.get(0);
        int len = runs.stream().mapToInt(r -> r.values().size()).min().orElseThrow();
        List<Double> v = new ArrayList<>();
        for (int i = 0; i < len; i++) {
            final int k = i;
            v.add(runs.stream().mapToDouble(r -> r.values().get(k)).average().orElseThrow());
        }
        return new Curve(f.task(), f.policy(), f.variant(), f.split(), f.affected(), f.planSeed(), f.plan(), f.trainable(),
                f.chance(), f.steps().subList(0, len), v, f.tokens().subList(0, len), f.metric(), f.higherIsBetter(),
                f.seed(), f.n());
    }

    static double sd(double[] xs) {
        return new painters.eval.metric.Replicates(xs).se();      // sample standard deviation (n - 1)
    }

    /** sqrt(a^2 + b^2) of the known ones; NaN when neither is. */
    static double quadrature(double a, double b) {
        if (Double.isNaN(a) && Double.isNaN(b)) {
            return Double.NaN;
        }
        return Math.hypot(Double.isNaN(a) ? 0 : a, Double.isNaN(b) ? 0 : b);
    }

    private static void curvesChart(Path file, List<Row> rows, int split, String title, boolean byTokens)
            throws IOException {
        XYChart ch = new XYChartBuilder().width(900).height(560).title("recovery: " + title)
                .xAxisTitle(byTokens ? "training tokens seen" : "optimizer step")
                .yAxisTitle(rows.get(0).c().metric() + " (held-out)").build();
        StudyFigures.style(ch);
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
            for (Row r : rs) {
                for (int i = 0; i < y.length && i < r.c().values().size(); i++) {
                    y[i] += r.c().values().get(i) / rs.size();
                }
            }
            XYSeries s = ch.addSeries(e.getKey(), x, y);
            Color col = StudyFigures.COLORS.getOrDefault(e.getKey(), Color.DARK_GRAY);
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
        StudyFigures.style(ch);
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
        painters.model.family.ModelFamilies.surgeryNotes(spec.model()).forEach(n -> sb.append(n).append("\n\n"));
        RecoverySettings ft = spec.finetune();
        sb.append(String.format(Locale.ROOT, "Model `%s`; tasks %s; policies %s; %d AdamW steps (lr %.1e, %s schedule, "
                        + "warm-up %s, batch %d x %d, clip %.1f, weight decay %.2f), evaluation every %d steps on the held-out "
                        + "split. %s Every number comes from `results.jsonl`; the table is "
                        + "`summary/recovery.csv`.%n%n", spec.model(), spec.tasks(), ft.policies(), ft.steps(),
                ft.learningRate(), ft.schedule(), ft.warmupSteps() >= 0 ? Integer.toString(ft.warmupSteps()) : "10%",
                ft.batchSize(), ft.gradAccum(), ft.clipNorm(), ft.weightDecay(), ft.evalEvery(), protocol));
        sb.append("Normalised = (score - chance) / (frozen full model - chance). Each plan runs with ").append(ft.seeds())
                .append(ft.seeds() == 1 ? " seed" : " seeds").append(" (data order, head initialisation, training ")
                .append("subsample); curves and the table are the mean over them, and `+-` is the standard error of the ")
                .append("recovered score: the spread between seeds / sqrt(seeds), with the items' binomial error for ")
                .append("proportions (held-out perplexity has no item error here: with one seed it has none). Steps to ")
                .append("recover: first evaluated step at ").append(String.format(Locale.ROOT, "%.0f%%", 100 * ft.recoverFraction()))
                .append(" of the fine-tuned full model's score above chance (without a chance level, as for held-out ")
                .append("perplexity: that share of the way, in log space, from the run's frozen score to the fine-tuned ")
                .append("full model's; -1: never, or no target because the fine-tuned full model is within 0.05 of ")
                .append("chance), for the mean curve, then each seed's run in brackets (evaluated every ")
                .append(ft.evalEvery()).append(" steps: a step count is known to that resolution). Gap closed ")
                .append("= (recovered - frozen) / (frozen full - frozen), against the frozen full model; **vs control** ")
                .append("= 1 - (fine-tuned full - recovered) / (frozen full - frozen), against the full model fine-tuned ")
                .append("with the same policy, budget and data, so what fine-tuning gives any model (adapting to the ")
                .append("data) does not count as recovery; both in nats per token (log perplexity) for perplexities. ")
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
                            + (r.seeds() > 1 ? " " + r.steps() : ""), num(r.gapClosed()), num(r.gapVsControl())));
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
     * {@link Claims#Z} standard errors (seeds and items), "hurts" below, and is "within the errors" otherwise; with no
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
            String call = Double.isNaN(d) ? "n/a" : !Double.isFinite(se) ? "no error known" : d > Claims.Z * se ? "helps"
                    : d < -Claims.Z * se ? "hurts" : "within the errors";
            sb.append(String.format(Locale.ROOT, "| %s | %s | %.0f%% | %s | %s | %s | %s |%n",
                    r.c().task() + (norm ? "" : " (" + r.c().metric() + ", raw; change in nats per token)"),
                    r.c().policy(), pct,
                    norm ? num(r.frozenNorm()) : String.format(Locale.ROOT, "%.3f", r.m().frozen()),
                    norm ? num(r.recoveredNorm()) : String.format(Locale.ROOT, "%.3f", r.m().recovered()),
                    Double.isNaN(d) ? "-" : Double.isFinite(se) ? String.format(Locale.ROOT, "%+.3f +- %.3f", d, se)
                            : String.format(Locale.ROOT, "%+.3f", d), call));
        }
        sb.append("\nThe paper (Llama2-7B, ARC, full fine-tuning): helps below ~30% skipped, hurts above. \"helps\"/"
                + "\"hurts\" means the change is beyond ").append(String.format(Locale.ROOT, "%.0f", Claims.Z))
                .append(" standard errors (between seeds, and the items' binomial error for proportions).\n");
        return sb.toString();
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }

    static String slug(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]+", "_");
    }
}
