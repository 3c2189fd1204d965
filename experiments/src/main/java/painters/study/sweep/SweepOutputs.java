package painters.study.sweep;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
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
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import painters.eval.io.Csv;
import painters.model.io.AtomicFiles;
import painters.study.StudySpec;
import painters.study.figures.Charts;

/**
 * A sweep's outputs: {@code summary/sweep.csv} (candidates, parameters, validation scores),
 * {@code figures/sweep_<parameter>.png} (score vs each swept parameter), {@code best.study.json}
 * (a recovery study with the best configuration, ready to run) and {@code report.md}.
 */
final class SweepOutputs {

    private SweepOutputs() {}

    static void write(Path dir, StudySpec spec, List<SweepKind.Result> results, List<SweepKind.Infeasible> infeasible,
                      SweepKind.Result best, double test, String task) throws IOException {
        List<String> params = spec.settings(SweepSettings.class).sweep().space().keySet().stream().toList();
        List<SweepKind.Result> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparingInt(SweepKind.Result::index));
        Files.createDirectories(dir.resolve("summary"));
        Files.createDirectories(dir.resolve("figures"));
        List<Object> header = new ArrayList<>();
        header.add("candidate");
        header.addAll(params);
        header.add("trainable_params");
        header.add("score");
        Csv csv = Csv.withHeader(header.toArray());
        for (SweepKind.Result r : sorted) {
            List<Object> row = new ArrayList<>();
            row.add(r.index());
            for (String p : params) {
                row.add(r.params().get(p));
            }
            row.add(r.trainable());
            row.add(Csv.fixed(r.score(), 6));
            csv.row(row);
        }
        AtomicFiles.writeString(dir.resolve("summary").resolve("sweep.csv"), csv.text());
        for (String p : params) {
            AtomicFiles.write(dir.resolve("figures").resolve("sweep_" + p + ".png"), chart(sorted, p, spec));
        }
        AtomicFiles.writeString(dir.resolve("best.study.json"), SweepKind.pretty(bestStudy(spec, best, task)));
        AtomicFiles.writeString(dir.resolve("report.md"), report(spec, sorted, best, test, params, task)
                + infeasibleSection(infeasible));
        Csv left = Csv.withHeader("candidate", "parameters", "reason");
        infeasible.stream().sorted(Comparator.comparingInt(SweepKind.Infeasible::index))
                .forEach(i -> left.row(i.index(), i.params().toString(), i.reason()));
        AtomicFiles.writeString(dir.resolve("summary").resolve("sweep_infeasible.csv"), left.text());
    }

    /** The candidates left out as impossible, with their reasons (empty when there were none). */
    static String infeasibleSection(List<SweepKind.Infeasible> infeasible) {
        if (infeasible.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%n## Candidates that cannot run%n%n%d of the "
                + "space's combinations were left out untrained (`summary/sweep_infeasible.csv`):%n%n| candidate | "
                + "parameters | why |%n|---|---|---|%n", infeasible.size()));
        infeasible.stream().sorted(Comparator.comparingInt(SweepKind.Infeasible::index)).forEach(i -> sb.append(
                String.format(Locale.ROOT, "| %d | %s | %s |%n", i.index(), i.params(), i.reason().replace("|", "/"))));
        return sb.toString();
    }

    private static byte[] chart(List<SweepKind.Result> rs, String p, StudySpec spec) throws IOException {
        String title = spec.name() + ": validation " + spec.settings(SweepSettings.class).sweep().score() + " score vs " + p;
        boolean numeric = rs.stream().allMatch(r -> r.params().get(p) instanceof Number);
        if (numeric) {
            XYChart c = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(p).yAxisTitle("score").build();
            Charts.style(c);
            c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            if (p.equals("learningRate")) {
                c.getStyler().setXAxisLogarithmic(true);
            }
            XYSeries s = c.addSeries("candidates", rs.stream().mapToDouble(r -> ((Number) r.params().get(p)).doubleValue())
                    .toArray(), rs.stream().mapToDouble(SweepKind.Result::score).toArray());
            s.setMarkerColor(new Color(0x1f77b4));
            return BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG);
        }
        Map<String, List<Double>> by = new LinkedHashMap<>();
        rs.forEach(r -> by.computeIfAbsent(String.valueOf(r.params().get(p)), k -> new ArrayList<>()).add(r.score()));
        CategoryChart c = new CategoryChartBuilder().width(800).height(500).title(title).xAxisTitle(p)
                .yAxisTitle("score (mean; best)").build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        List<String> keys = new ArrayList<>(by.keySet());
        c.addSeries("mean", keys, keys.stream().map(k -> by.get(k).stream().mapToDouble(Double::doubleValue).average()
                .orElse(Double.NaN)).toList());
        c.addSeries("best", keys, keys.stream().map(k -> by.get(k).stream().mapToDouble(Double::doubleValue).max()
                .orElse(Double.NaN)).toList());
        return BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG);
    }

    /** A recovery study that runs the best configuration on the test split, as a study file. */
    static JsonObject bestStudy(StudySpec spec, SweepKind.Result best, String task) {
        JsonObject o = new JsonObject();
        o.addProperty("comment", "Best configuration of sweep " + spec.name() + " (candidate " + best.index()
                + ", validation score " + String.format(Locale.ROOT, "%.4f", best.score()) + "), as a recovery study.");
        o.addProperty("name", spec.name() + "-best");
        o.addProperty("model", spec.model());
        if (spec.data() != null) {
            o.addProperty("data", spec.data());
        }
        // the tuned task (an encoder's target is one of the study's tasks); a decoder keeps the study's tasks,
        // scored along the curve of its runs on the same corpus
        JsonArray tasks = new JsonArray();
        (spec.tasks().contains(task) ? List.of(task) : spec.tasks()).forEach(tasks::add);
        o.add("tasks", tasks);
        o.addProperty("limit", spec.limit());
        o.addProperty("context", spec.context());
        o.addProperty("bos", spec.bos());
        o.addProperty("batchSize", spec.batchSize());
        o.addProperty("trainMax", spec.trainMax());
        JsonArray heads = new JsonArray();
        heads.add(spec.headSeeds().get(0));
        o.add("headSeeds", heads);
        Map<String, Object> p = best.params();
        JsonArray variants = new JsonArray();
        variants.add(String.valueOf(p.getOrDefault("variant", spec.variants().isEmpty() ? "skip" : spec.variants().get(0))));
        o.add("variants", variants);
        Object split = p.getOrDefault("split", spec.splits().isEmpty() ? null : spec.splits().get(0));
        JsonArray splits = new JsonArray();
        if (split != null) {
            splits.add((Integer) split);
        }
        o.add("splits", splits);
        o.addProperty("maxLength", spec.maxLength());
        o.addProperty("cossim", false);
        JsonObject ft = spec.settings(SweepSettings.class).finetune().toJson();
        JsonArray pol = new JsonArray();
        pol.add(String.valueOf(p.getOrDefault("policy", spec.settings(SweepSettings.class).finetune().policies().get(0))));
        ft.add("policies", pol);
        for (String k : new String[] {"learningRate", "steps", "batchSize", "warmupSteps", "weightDecay"}) {
            Object v = p.get(k);
            if (v instanceof Number n) {
                ft.addProperty(k, n);
            }
        }
        o.add("finetune", ft);
        return o;
    }

    static String report(StudySpec spec, List<SweepKind.Result> rs, SweepKind.Result best, double test,
                         List<String> params, String task) {
        StringBuilder sb = new StringBuilder("# Sweep " + spec.name() + "\n\n");
        if (!spec.description().isEmpty()) {
            sb.append(spec.description()).append("\n\n");
        }
        var sw = spec.settings(SweepSettings.class).sweep();
        sb.append(String.format(Locale.ROOT, "Fine-tuned on `%s`; Arbiter %s generator%s over %s; stop after %s "
                        + "candidates / %s minutes; score: the %s held-out primary score on a %.0f%% validation share of the "
                        + "training data (%s; an encoder's: the task's primary metric; a decoder's: mean held-out "
                        + "log-likelihood per token, perplexity = exp(-score)). %d candidates.%n%n", task, sw.generator(), sw.generator().equals("grid")
                        ? " (" + sw.gridPoints() + " points per range)" : " (seed " + sw.seed() + ")", params,
                sw.maxCandidates() > 0 ? Integer.toString(sw.maxCandidates()) : "all",
                sw.maxMinutes() > 0 ? Integer.toString(sw.maxMinutes()) : "no limit of", sw.score(), 100 * sw.validation(),
                sw.maximize() ? "maximised" : "minimised", rs.size()));
        sb.append("| candidate | ").append(String.join(" | ", params)).append(" | trainable | validation score |\n|---|");
        params.forEach(p -> sb.append("---|"));
        sb.append("---|---|\n");
        for (SweepKind.Result r : rs) {
            sb.append("| ").append(r.index()).append(r.index() == best.index() ? " (best)" : "").append(" | ");
            for (String p : params) {
                Object v = r.params().get(p);
                sb.append(v instanceof Double d ? String.format(Locale.ROOT, "%.3g", d) : String.valueOf(v)).append(" | ");
            }
            sb.append(String.format(Locale.ROOT, "%,d | %.4f |%n", r.trainable(), r.score()));
        }
        sb.append(String.format(Locale.ROOT, "%nBest: candidate %d %s, validation %.4f; **test data (scored once): "
                + "%.4f**. Ready to run: `best.study.json`.%n%n", best.index(), best.params(), best.score(), test));
        for (String p : params) {
            sb.append("![").append(p).append("](figures/sweep_").append(p).append(".png)\n");
        }
        return sb.toString();
    }
}
