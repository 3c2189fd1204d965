package painters.study.search;

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
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import painters.eval.io.Csv;
import painters.eval.metric.ItemScores;
import painters.eval.metric.Metric;
import painters.eval.metric.PairedBootstrap;
import painters.eval.metric.Replicates;
import painters.model.family.ModelFamilies;
import painters.model.io.AtomicFiles;
import painters.results.ItemFiles;
import painters.results.ResultRow;
import painters.results.Results;
import painters.study.StudySpec;
import painters.study.figures.Charts;
import painters.study.figures.Pareto;

/**
 * A plan search's outputs, from its results file: {@code summary/search.csv} (every scored plan: origin, depth,
 * block applications, validation score; test score and latency for the fronts' plans),
 * {@code figures/search_validation.png} (validation score vs block applications, search candidates against the
 * paper's variants, with both fronts), {@code figures/search_test.png} (test score vs measured latency of the
 * fronts' plans, error bars) and {@code report.md} (the fronts on test, and whether the search beats the
 * paper's variants at equal or lower cost, by the rule of 2 combined standard errors).
 */
final class SearchOutputs {

    private SearchOutputs() {}

    /** A plan's scores as stored: validation objective, and on test the objective and latency (NaN where absent). */
    record Scored(String origin, int index, int split, String plan, int depth, int applications, double validation,
                  double validationSe, double test, double testSe, double latencyMs, double latencySe,
                  Map<String, ResultRow> testRows) {
        boolean searched() {
            return SearchKind.isSearch(origin, split);
        }
    }

    static List<Scored> read(Path dir) throws IOException {
        Map<String, List<ResultRow>> byPlan = new LinkedHashMap<>();
        for (ResultRow r : Results.read(dir.resolve(Results.FILE))) {
            if (r.sweep() != null) {
                byPlan.computeIfAbsent(r.plan().variant() + "|" + r.sweep().candidate() + "|" + r.plan().plan(),
                        k -> new ArrayList<>()).add(r);
            }
        }
        List<Scored> out = new ArrayList<>();
        for (List<ResultRow> rows : byPlan.values()) {
            double[] v = objective(rows, SearchKind.VALIDATION);
            double[] t = objective(rows, SearchKind.TEST);
            ResultRow lat = rows.stream().filter(r -> r.score().metric().equals("latency_ms")).findFirst().orElse(null);
            ResultRow f = rows.get(0);
            Map<String, ResultRow> testRows = new LinkedHashMap<>();
            rows.stream().filter(r -> r.sweep().scoredOn().equals(SearchKind.TEST) && r.score().primary())
                    .forEach(r -> testRows.put(r.score().task(), r));
            out.add(new Scored(f.plan().variant(), f.sweep().candidate(), f.plan().split(), f.plan().plan(),
                    f.plan().depth(), f.plan().applications(), v[0], v[1], t[0], t[1],
                    lat == null ? Double.NaN : lat.score().value(), lat == null ? Double.NaN : lat.score().stderr(),
                    testRows));
        }
        return out;
    }

    /** Mean primary score over tasks on one split, and its standard error; NaN when not scored there. */
    private static double[] objective(List<ResultRow> rows, String on) {
        List<ResultRow> p = rows.stream().filter(r -> r.sweep().scoredOn().equals(on) && r.score().primary()).toList();
        if (p.isEmpty()) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double mean = p.stream().mapToDouble(r -> r.score().value()).average().orElseThrow();
        double se = Math.sqrt(p.stream().mapToDouble(r -> sq(r.score().stderr())).sum()) / p.size();
        return new double[] {mean, se};
    }

    /**
     * The standard error of the difference of two plans' test objectives (mean primary score over tasks), paired:
     * each task's items resampled once per replicate for both ({@link painters.eval.metric.PairedBootstrap}); NaN
     * when a task's per-item outputs are missing.
     */
    static double pairedSe(Path dir, Scored a, Scored b) throws IOException {
        if (!a.testRows().keySet().equals(b.testRows().keySet()) || a.testRows().isEmpty()) {
            return Double.NaN;
        }
        List<Replicates> diffs = new ArrayList<>();
        for (String task : a.testRows().keySet()) {
            ResultRow ra = a.testRows().get(task);
            ResultRow rb = b.testRows().get(task);
            Map<String, List<JsonObject>> items = ItemFiles.read(dir, task);
            List<JsonObject> ia = items.get(ra.cell());
            List<JsonObject> ib = items.get(rb.cell());
            int n = ra.score().n();
            if (ia == null || ib == null || ia.size() != n || ib.size() != n || rb.score().n() != n || n < 2) {
                return Double.NaN;
            }
            Metric m = Metric.parse(ra.score().metric());
            int[][] draws = PairedBootstrap.draws(task, n);
            diffs.add(PairedBootstrap.replicates(ItemScores.fromItems(ia), m,
                    draws).minus(PairedBootstrap.replicates(
                    ItemScores.fromItems(ib), m, draws)));
        }
        return Replicates.mean(diffs).se();
    }

    private static double sq(double x) {
        return Double.isNaN(x) ? 0 : x * x;
    }

    static void write(Path dir, StudySpec spec) throws IOException {
        List<Scored> all = read(dir);
        Files.createDirectories(dir.resolve("summary"));
        Files.createDirectories(dir.resolve("figures"));
        Csv csv = Csv.withHeader("origin", "candidate", "plan", "depth", "applications", "validation", "validation_se",
                "test", "test_se", "latency_ms", "latency_se");
        for (Scored s : all) {
            csv.row(s.origin(), s.index(), s.plan(), s.depth(), s.applications(), Csv.fixed(s.validation(), 6),
                    Csv.fixed(s.validationSe(), 6), Csv.fixed(s.test(), 6), Csv.fixed(s.testSe(), 6),
                    Csv.fixed(s.latencyMs(), 3), Csv.fixed(s.latencySe(), 3));
        }
        AtomicFiles.writeString(dir.resolve("summary").resolve("search.csv"), csv.text());
        AtomicFiles.write(dir.resolve("figures").resolve("search_validation.png"), validationChart(spec, all));
        AtomicFiles.write(dir.resolve("figures").resolve("search_test.png"), testChart(spec, all));
        AtomicFiles.writeString(dir.resolve("report.md"), report(spec, all, dir));
    }

    private static List<Scored> front(List<Scored> xs, boolean searched) {
        return Pareto.front(xs.stream().filter(s -> s.searched() == searched && !Double.isNaN(s.validation())).toList(),
                Scored::applications, Scored::validation);
    }

    private static byte[] validationChart(StudySpec spec, List<Scored> all) throws IOException {
        XYChart c = new XYChartBuilder().width(900).height(550).title(spec.name() + ": validation score vs block "
                + "applications").xAxisTitle("block applications (compute on one device)")
                .yAxisTitle("mean primary score, validation").build();
        Charts.style(c);
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        List<Scored> searched = all.stream().filter(Scored::searched).toList();
        List<Scored> paper = all.stream().filter(s -> !s.searched()).toList();
        if (!searched.isEmpty()) {
            XYSeries s = c.addSeries("search candidates", searched.stream().mapToDouble(Scored::applications).toArray(),
                    searched.stream().mapToDouble(Scored::validation).toArray());
            s.setMarkerColor(new Color(0xbbbbbb));
        }
        if (!paper.isEmpty()) {
            XYSeries s = c.addSeries("paper's variants, full model", paper.stream().mapToDouble(Scored::applications)
                    .toArray(), paper.stream().mapToDouble(Scored::validation).toArray());
            s.setMarkerColor(new Color(0x1f77b4));
        }
        line(c, "search front", front(all, true), Scored::validation, new Color(0xd62728));
        line(c, "paper front", front(all, false), Scored::validation, new Color(0x2ca02c));
        return BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG);
    }

    private static void line(XYChart c, String name, List<Scored> pts, ToDoubleFunction<Scored> y,
                             Color color) {
        if (pts.isEmpty()) {
            return;
        }
        XYSeries s = c.addSeries(name, pts.stream().mapToDouble(Scored::applications).toArray(),
                pts.stream().mapToDouble(y).toArray());
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setLineColor(color);
        s.setMarkerColor(color);
    }

    private static byte[] testChart(StudySpec spec, List<Scored> all) throws IOException {
        XYChart c = new XYChartBuilder().width(900).height(550).title(spec.name() + ": the fronts' plans on test")
                .xAxisTitle("forward latency on this machine, ms (batch " + spec.settings(SearchSettings.class).latencyBatch() + " x "
                        + spec.settings(SearchSettings.class).latencySeq() + ")").yAxisTitle("mean primary score, test").build();
        Charts.style(c);
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        for (boolean searched : new boolean[] {true, false}) {
            List<Scored> pts = all.stream().filter(s -> s.searched() == searched && !Double.isNaN(s.test())).toList();
            if (pts.isEmpty()) {
                continue;
            }
            XYSeries s = c.addSeries(searched ? "search front" : "paper front", pts.stream().mapToDouble(Scored::latencyMs)
                    .toArray(), pts.stream().mapToDouble(Scored::test).toArray(), pts.stream().mapToDouble(Scored::testSe)
                    .toArray());
            s.setMarkerColor(searched ? new Color(0xd62728) : new Color(0x2ca02c));
        }
        return BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG);
    }

    static String report(StudySpec spec, List<Scored> all, Path dir) throws IOException {
        SearchSettings st = spec.settings(SearchSettings.class);
        StringBuilder r = new StringBuilder("# Plan search " + spec.name() + "\n\n");
        if (!spec.description().isEmpty()) {
            r.append(spec.description()).append("\n\n");
        }
        ModelFamilies.surgeryNotes(spec.model()).forEach(n -> r.append(n).append("\n\n"));
        long searched = all.stream().filter(Scored::searched).count();
        r.append(String.format(Locale.ROOT, "Model `%s`; tasks %s. %s search (Arbiter), %d candidate(s) proposed, %d "
                        + "distinct plan(s) scored; genes per block: skip, run, repeat (x2) or join a parallel step%s%s; "
                        + "depth at most %s. Every plan is scored on a validation view of each task (a seeded %.0f%% of "
                        + "its train split held out, seed %d; the test data unseen); the objective is the mean primary "
                        + "score over the tasks, +- the standard error combined over them. The plans on the validation "
                        + "Pareto fronts (score against block applications) are then scored once on the tasks' own "
                        + "scored splits, and their forward latency is measured (batch %d x %d tokens, median of %d "
                        + "runs after a warm-up, +- the standard error of the runs).%n%n", spec.model(), spec.tasks(),
                st.generator(), st.candidates(), searched, st.order() > 0 ? ", blocks may move " + st.order() / 2
                        + " places" : ", pretrained order", st.fixedEnds() ? "; the first and last blocks always run" : "",
                st.maxDepth() > 0 ? Integer.toString(st.maxDepth()) : "the model's blocks", 100 * st.validation(), st.seed(),
                st.latencyBatch(), st.latencySeq(), st.latencyRuns()));
        r.append("On one device a parallel step saves no arithmetic (its blocks run one after another): block "
                + "applications and latency measure what this machine spends; depth (sequential steps) is what a device "
                + "running a parallel step's blocks at once would.\n\n");
        r.append("![validation](figures/search_validation.png)\n\n![test](figures/search_test.png)\n\n");
        r.append("## The fronts on test\n\n| front | plan | depth | block applications | latency ms | validation | test |\n"
                + "|---|---|---|---|---|---|---|\n");
        List<Scored> tested = all.stream().filter(s -> !Double.isNaN(s.test()))
                .sorted(Comparator.comparing(Scored::searched).reversed().thenComparingInt(Scored::applications)).toList();
        for (Scored s : tested) {
            r.append(String.format(Locale.ROOT, "| %s | `%s` | %d | %d | %.1f +- %.1f | %.4f +- %.4f | %.4f +- %.4f |%n",
                    s.searched() ? "search (" + s.origin() + " c" + s.index() + ")" : s.origin().equals("full")
                            ? "the full model" : "paper (" + s.origin() + ")", s.plan(),
                    s.depth(), s.applications(), s.latencyMs(), s.latencySe(), s.validation(), s.validationSe(), s.test(),
                    s.testSe()));
        }
        r.append("\n## Does the search beat the paper's variants at equal or lower cost?\n\n");
        List<Scored> paperTested = tested.stream().filter(s -> !s.searched() && !s.origin().equals("full")).toList();
        int compared = 0;
        for (Scored s : tested.stream().filter(Scored::searched).toList()) {
            // the comparator is the paper plan best on validation (never picked on the test scores it is compared on)
            Scored ref = paperTested.stream().filter(p -> p.applications() <= s.applications())
                    .max(Comparator.comparingDouble(p -> Double.isNaN(p.validation()) ? Double.NEGATIVE_INFINITY
                            : p.validation())).orElse(null);
            if (ref == null) {
                r.append(String.format(Locale.ROOT, "- `%s` (%d block applications): no paper plan is as cheap.%n",
                        s.plan(), s.applications()));
                continue;
            }
            compared++;
            double d = s.test() - ref.test();
            double paired = pairedSe(dir, s, ref);
            double band = 2 * (Double.isNaN(paired) ? Math.sqrt(sq(s.testSe()) + sq(ref.testSe())) : paired);
            r.append(String.format(Locale.ROOT, "- `%s` (%d applications, %.1f ms): test %.4f vs the paper plan best on "
                            + "validation at no more applications, %s `%s` (%d, %.1f ms): %.4f; difference %+.4f vs 2 x "
                            + "%s se %.4f: **%s**%n", s.plan(), s.applications(), s.latencyMs(), s.test(),
                    ref.origin(), ref.plan(), ref.applications(), ref.latencyMs(), ref.test(), d,
                    Double.isNaN(paired) ? "combined" : "paired", band / 2,
                    Math.abs(d) <= band ? "indistinguishable" : d > 0 ? "search better" : "paper better"));
        }
        r.append(String.format(Locale.ROOT, "%n%d comparisons; at 2 standard errors about 5%% of comparisons between "
                + "equally good plans cross by chance, so about %.1f such crossing is expected among them.%n", compared,
                0.05 * compared));
        r.append("\nEvery row is in `results.jsonl` (validation and test scores per task and metric with their standard "
                + "errors, the latency as task `latency`, metric `latency_ms`); `summary/search.csv` lists every plan "
                + "scored.\n");
        return r.toString();
    }
}
