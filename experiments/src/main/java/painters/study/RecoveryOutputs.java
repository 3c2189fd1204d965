package painters.study;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
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
import painters.model.io.AtomicFiles;
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

    /** One run's curve of primary scores. */
    record Curve(String task, String policy, String variant, int split, int affected, long planSeed, String plan,
                 long trainable, double chance, List<Integer> steps, List<Double> values, List<Long> tokens) {}

    /** One run's summary. */
    record Row(Curve c, RecoveryMetrics m, double frozenNorm, double recoveredNorm, double aucNorm) {}

    private RecoveryOutputs() {}

    public static void write(Path dir, StudySpec spec, int numLayers) throws IOException {
        List<Curve> curves = curves(dir.resolve(StudyRunner.RESULTS));
        double fraction = spec.finetune().recoverFraction();
        List<Row> rows = summarise(curves, fraction);
        Files.createDirectories(dir.resolve("summary"));
        Files.createDirectories(dir.resolve("figures"));
        StringBuilder csv = new StringBuilder("task,policy,variant,split,affected,plan_seed,plan,trainable_params,frozen,"
                + "recovered,frozen_norm,recovered_norm,auc_norm,steps_to_recover,gap_closed\n");
        for (Row r : rows) {
            Curve c = r.c();
            csv.append(String.format(Locale.ROOT, "%s,%s,%s,%d,%d,%d,\"%s\",%d,%.6f,%.6f,%.6f,%.6f,%.6f,%d,%.6f%n", c.task(),
                    c.policy(), c.variant(), c.split(), c.affected(), c.planSeed(), c.plan(), c.trainable(), r.m().frozen(),
                    r.m().recovered(), r.frozenNorm(), r.recoveredNorm(), r.aucNorm(), r.m().stepsToTarget(),
                    r.m().gapClosed()));
        }
        AtomicFiles.writeString(dir.resolve("summary").resolve("recovery.csv"), csv.toString());
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
        AtomicFiles.writeString(dir.resolve("report.md"), report(spec, rows, figures, numLayers));
    }

    static List<Curve> curves(Path results) throws IOException {
        Map<String, List<JsonObject>> byRun = new LinkedHashMap<>();
        for (String line : ResultsStore.readRows(results)) {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            if (o.has("policy") && o.get("primary").getAsBoolean()) {
                byRun.computeIfAbsent(o.get("cell").getAsString(), k -> new ArrayList<>()).add(o);
            }
        }
        List<Curve> out = new ArrayList<>();
        for (List<JsonObject> pts : byRun.values()) {
            pts.sort(Comparator.comparingInt(o -> o.get("step").getAsInt()));
            JsonObject f = pts.get(0);
            out.add(new Curve(f.get("task").getAsString(), f.get("policy").getAsString(), f.get("variant").getAsString(),
                    f.get("split").getAsInt(), f.get("affected").getAsInt(), f.get("plan_seed").getAsLong(),
                    f.get("plan").getAsString(), f.get("trainable_params").getAsLong(), f.get("chance").getAsDouble(),
                    pts.stream().map(o -> o.get("step").getAsInt()).toList(),
                    pts.stream().map(o -> o.get("value").getAsDouble()).toList(),
                    pts.stream().map(o -> o.get("tokens").getAsLong()).toList()));
        }
        return out;
    }

    static List<Row> summarise(List<Curve> curves, double fraction) {
        Map<String, Double> frozenFull = new LinkedHashMap<>();
        Map<String, Double> tunedFull = new LinkedHashMap<>();
        for (Curve c : curves) {
            if (c.variant().equals("full")) {
                frozenFull.putIfAbsent(c.task(), c.values().get(0));
                tunedFull.put(c.task() + "|" + c.policy() + "|" + c.split(), c.values().get(c.values().size() - 1));
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Curve c : curves) {
            double chance = c.chance();
            Double ff = frozenFull.get(c.task());
            Double tf = tunedFull.getOrDefault(c.task() + "|" + c.policy() + "|" + c.split(),
                    tunedFull.get(c.task() + "|" + c.policy() + "|-1"));
            double target = tf == null ? Double.NaN : chance + fraction * (tf - chance);
            RecoveryMetrics m = RecoveryMetrics.of(c.steps(), c.values(), target, ff == null ? Double.NaN : ff);
            boolean norm = ff != null && ff - chance >= StudyTable.MIN_FULL_ABOVE_CHANCE;
            rows.add(new Row(c, m, norm ? (m.frozen() - chance) / (ff - chance) : Double.NaN,
                    norm ? (m.recovered() - chance) / (ff - chance) : Double.NaN,
                    norm ? (m.auc() - chance) / (ff - chance) : Double.NaN));
        }
        rows.sort(Comparator.comparing((Row r) -> r.c().task()).thenComparing(r -> r.c().policy())
                .thenComparing(r -> r.c().variant()).thenComparingInt(r -> r.c().split()));
        return rows;
    }

    private static void curvesChart(Path file, List<Row> rows, int split, String title, boolean byTokens)
            throws IOException {
        XYChart ch = new XYChartBuilder().width(900).height(560).title("recovery: " + title)
                .xAxisTitle(byTokens ? "training tokens seen" : "optimizer step")
                .yAxisTitle("primary score (held-out)").build();
        StudyFigures.style(ch);
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
                .title("frozen vs recovered: " + title).yAxisTitle("primary score (held-out)").build();
        ch.getStyler().setChartBackgroundColor(Color.WHITE);
        ch.getStyler().setXAxisLabelRotation(60);
        ch.addSeries("frozen (step 0)", labels, frozen);
        ch.addSeries("fine-tuned (last step)", labels, recovered);
        AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(ch, BitmapEncoder.BitmapFormat.PNG));
    }

    private static void a2(Path file, List<Row> rows, int numLayers, String title) throws IOException {
        // the full model is the 0% point
        List<Row> skip = rows.stream().filter(r -> r.c().variant().equals("skip") || r.c().variant().equals("full"))
                .sorted(Comparator.comparingInt(r -> r.c().affected())).toList();
        Map<Integer, double[]> byAffected = new TreeMap<>();
        for (Row r : skip) {
            byAffected.putIfAbsent(r.c().affected(), new double[] {r.frozenNorm(), r.recoveredNorm()});
        }
        double[] x = byAffected.keySet().stream().mapToDouble(a -> 100.0 * a / numLayers).toArray();
        double[] fz = byAffected.values().stream().mapToDouble(v -> v[0]).toArray();
        double[] ft = byAffected.values().stream().mapToDouble(v -> v[1]).toArray();
        XYChart ch = new XYChartBuilder().width(900).height(560).title("A.2: " + title)
                .xAxisTitle("% of layers skipped").yAxisTitle("normalised score (1 = frozen full model)").build();
        StudyFigures.style(ch);
        for (Object[] series : new Object[][] {{"frozen", fz, new Color(0x1f77b4)}, {"fine-tuned", ft, new Color(0xd62728)}}) {
            XYSeries s = ch.addSeries((String) series[0], x, (double[]) series[1]);
            s.setLineColor((Color) series[2]);
            s.setMarkerColor((Color) series[2]);
        }
        AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(ch, BitmapEncoder.BitmapFormat.PNG));
    }

    static String report(StudySpec spec, List<Row> rows, List<String> figures, int numLayers) {
        StringBuilder sb = new StringBuilder("# Recovery study " + spec.name() + "\n\n");
        if (!spec.description().isEmpty()) {
            sb.append(spec.description()).append("\n\n");
        }
        RecoverySettings ft = spec.finetune();
        sb.append(String.format(Locale.ROOT, "Model `%s`; tasks %s; policies %s; %d AdamW steps (lr %.1e, %s schedule, "
                        + "warm-up %s, batch %d x %d, clip %.1f, weight decay %.2f), evaluation every %d steps on the held-out "
                        + "split. Step 0 is the frozen model with its linear-probe head (the frozen protocol), which also "
                        + "starts the fine-tuning head. Every number comes from `results.jsonl`; the table is "
                        + "`summary/recovery.csv`.%n%n", spec.model(), spec.tasks(), ft.policies(), ft.steps(),
                ft.learningRate(), ft.schedule(), ft.warmupSteps() >= 0 ? Integer.toString(ft.warmupSteps()) : "10%",
                ft.batchSize(), ft.gradAccum(), ft.clipNorm(), ft.weightDecay(), ft.evalEvery()));
        sb.append("Normalised = (score - chance) / (frozen full model - chance). Steps to recover: first evaluated step at ")
                .append(String.format(Locale.ROOT, "%.0f%%", 100 * ft.recoverFraction()))
                .append(" of the fine-tuned full model's score above chance (-1: never). Gap closed = (recovered - frozen) / ")
                .append("(frozen full - frozen).\n\n");
        sb.append("| task | policy | variant | s | |M| | plan | trainable | frozen | recovered | norm. frozen | norm. recovered "
                + "| norm. AUC | steps to recover | gap closed |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            Curve c = r.c();
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %d | `%s` | %,d | %.4f | %.4f | %.3f | %.3f | %.3f | %d | %.2f |%n",
                    c.task(), c.policy(), c.variant(), c.split() >= 0 ? Integer.toString(c.split()) : "-", c.affected(),
                    c.plan(), c.trainable(), r.m().frozen(), r.m().recovered(), r.frozenNorm(), r.recoveredNorm(),
                    r.aucNorm(), r.m().stepsToTarget(), r.m().gapClosed()));
        }
        sb.append("\n## Figures\n\n");
        for (String f : figures) {
            sb.append("![").append(f).append("](figures/").append(f).append(")\n");
        }
        sb.append("\n").append(a2Verdict(rows, numLayers));
        return sb.toString();
    }

    /** The paper's A.2 question on this study's skip runs: does fine-tuning help below ~30% skipped and hurt above? */
    static String a2Verdict(List<Row> rows, int numLayers) {
        List<Row> skip = rows.stream().filter(r -> r.c().variant().equals("skip")).toList();
        if (skip.isEmpty()) {
            return "## A.2\n\nNo skip runs in this study.\n";
        }
        StringBuilder sb = new StringBuilder("## A.2: fine-tuning with layers skipped\n\n| task | policy | % skipped | "
                + "frozen (norm.) | fine-tuned (norm.) | fine-tuning |\n|---|---|---|---|---|---|\n");
        for (Row r : skip) {
            double pct = 100.0 * r.c().affected() / numLayers;
            double d = r.recoveredNorm() - r.frozenNorm();
            sb.append(String.format(Locale.ROOT, "| %s | %s | %.0f%% | %.3f | %.3f | %s |%n", r.c().task(), r.c().policy(),
                    pct, r.frozenNorm(), r.recoveredNorm(), Double.isNaN(d) ? "n/a" : d > 0.01 ? "helps" : d < -0.01
                            ? "hurts" : "no change"));
        }
        sb.append("\nThe paper (Llama2-7B, ARC, full fine-tuning): helps below ~30% skipped, hurts above. Compare the "
                + "rows above: \"helps\"/\"hurts\" means a change of more than 0.01 in normalised score.\n");
        return sb.toString();
    }

    static String slug(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]+", "_");
    }
}
