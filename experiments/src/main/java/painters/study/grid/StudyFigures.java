package painters.study.grid;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import painters.model.io.AtomicFiles;
import painters.study.figures.Charts;
import painters.study.figures.Pareto;

/**
 * The paper's figures for a study, as PNG: normalised score (median over tasks) vs number of affected
 * layers with one line per variant (random: mean over seeds, error bars = standard deviation), one
 * such panel per task, and normalised score vs sequential depth for every plan with the Pareto front.
 */
public final class StudyFigures {

    private StudyFigures() {}

    /** Error bars: one standard error of the point (items, and for random order the seeds drawn). */
    public static void main(Path file, StudyTable t, String title) throws IOException {
        byAffected(file, t, title + ": normalised score (median over tasks; bars: +-1 standard error)",
                StudyTable.Point::median, StudyTable.Point::se);
    }

    public static void task(Path file, StudyTable t, String task, String title) throws IOException {
        byAffected(file, t, title + ": " + task + " (bars: +-1 standard error)",
                p -> p.byTask().getOrDefault(task, Double.NaN), p -> p.byTaskSe().getOrDefault(task, Double.NaN));
    }


    private static void byAffected(Path file, StudyTable t, String title, ToDoubleFunction<StudyTable.Point> y,
                                   ToDoubleFunction<StudyTable.Point> error) throws IOException {
        XYChart c = new XYChartBuilder().width(900).height(560).title(title)
                .xAxisTitle("number of affected layers |M|").yAxisTitle("normalised score (1 = full model, 0 = chance)")
                .build();
        Charts.style(c);
        List<String> variants = t.points().stream().map(StudyTable.Point::variant).distinct().toList();
        int maxAffected = 1;
        for (String v : variants) {
            List<StudyTable.Point> ps = t.points().stream().filter(p -> p.variant().equals(v))
                    .sorted(Comparator.comparingInt(StudyTable.Point::affected)).toList();
            double[] xs = ps.stream().mapToDouble(StudyTable.Point::affected).toArray();
            double[] ys = ps.stream().mapToDouble(y).toArray();
            maxAffected = Math.max(maxAffected, (int) xs[xs.length - 1]);
            double[] es = ps.stream().mapToDouble(error).map(e -> Double.isFinite(e) ? e : 0).toArray();
            XYSeries s = Arrays.stream(es).anyMatch(e -> e > 0) ? c.addSeries(v, xs, ys, es)
                    : c.addSeries(v, xs, ys);
            s.setLineColor(Charts.COLORS.getOrDefault(v, Color.DARK_GRAY));
            s.setMarkerColor(Charts.COLORS.getOrDefault(v, Color.DARK_GRAY));
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        XYSeries full = c.addSeries("full model", new double[] {0, maxAffected}, new double[] {1, 1});
        full.setLineColor(Color.BLACK);
        full.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        full.setMarker(SeriesMarkers.NONE);
        AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG));
    }

    /** Every plan's score against its sequential depth; the Pareto front joins the plans nothing beats. */
    public static void depth(Path file, StudyTable t, String title) throws IOException {
        XYChart c = new XYChartBuilder().width(900).height(560).title(title + ": score vs sequential depth")
                .xAxisTitle("sequential depth (block applications on the critical path)")
                .yAxisTitle("normalised score (median over tasks; bars: +-1 standard error)").build();
        Charts.style(c);
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        List<StudyTable.PlanScore> all = t.planScores().stream().filter(p -> !Double.isNaN(p.median())).toList();
        for (String v : all.stream().map(StudyTable.PlanScore::variant).distinct().toList()) {
            List<StudyTable.PlanScore> ps = all.stream().filter(p -> p.variant().equals(v)).toList();
            double[] es = ps.stream().mapToDouble(p -> Double.isFinite(p.medianSe()) ? p.medianSe() : 0).toArray();
            double[] xs = ps.stream().mapToDouble(StudyTable.PlanScore::depth).toArray();
            double[] ys = ps.stream().mapToDouble(StudyTable.PlanScore::median).toArray();
            XYSeries s = Arrays.stream(es).anyMatch(e -> e > 0) ? c.addSeries(v, xs, ys, es)
                    : c.addSeries(v, xs, ys);
            s.setMarkerColor(Charts.COLORS.getOrDefault(v, Color.DARK_GRAY));
        }
        List<StudyTable.PlanScore> front = pareto(all);
        if (!front.isEmpty()) {
            XYSeries f = c.addSeries("Pareto front", front.stream().mapToDouble(StudyTable.PlanScore::depth).toArray(),
                    front.stream().mapToDouble(StudyTable.PlanScore::median).toArray());
            f.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
            f.setLineColor(Color.BLACK);
            f.setMarker(SeriesMarkers.NONE);
        }
        AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG));
    }

    /** Normalised score of looped parallel for every (|M|, R); the title names the best R per |M|. */
    public static void loopGrid(Path file, StudyTable t, String title) throws IOException {
        List<StudyTable.GridPoint> g = t.loopGrid();
        List<Integer> xs = g.stream().map(StudyTable.GridPoint::affected).distinct().sorted().toList();
        List<Integer> ys = g.stream().map(StudyTable.GridPoint::loops).distinct().sorted().toList();
        List<Number[]> cells = new ArrayList<>();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (StudyTable.GridPoint p : g) {
            cells.add(new Number[] {xs.indexOf(p.affected()), ys.indexOf(p.loops()), p.median()});
            min = Math.min(min, p.median());
            max = Math.max(max, p.median());
        }
        HeatMapChart c = new HeatMapChartBuilder().width(200 + 70 * xs.size())
                .height(160 + 45 * ys.size()).title(title + ": looped parallel; best R per |M| " + bestLoops(g))
                .xAxisTitle("parallel width |M|").yAxisTitle("loop iterations R").build();
        c.getStyler().setShowValue(true);
        c.getStyler().setHeatMapValueDecimalPattern("0.00");
        c.getStyler().setMin(min);
        c.getStyler().setMax(max);
        c.getStyler().setRangeColors(new Color[] {new Color(0x2c, 0x7b, 0xb6), new Color(0xff, 0xff, 0xbf),
                new Color(0xd7, 0x19, 0x1c)});
        c.addSeries("normalised score", xs.stream().map(String::valueOf).toList(),
                ys.stream().map(String::valueOf).toList(), cells);
        AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG));
    }

    /** The R with the best score for each |M|. */
    public static Map<Integer, Integer> bestLoops(List<StudyTable.GridPoint> g) {
        Map<Integer, StudyTable.GridPoint> best = new TreeMap<>();
        for (StudyTable.GridPoint p : g) {
            best.merge(p.affected(), p, (a, b) -> b.median() > a.median() ? b : a);
        }
        Map<Integer, Integer> out = new TreeMap<>();
        best.forEach((m, p) -> out.put(m, p.loops()));
        return out;
    }

    /** Plans not dominated by any plan of smaller-or-equal depth and higher score, by increasing depth. */
    static List<StudyTable.PlanScore> pareto(List<StudyTable.PlanScore> plans) {
        return Pareto.front(plans, StudyTable.PlanScore::depth, StudyTable.PlanScore::median);
    }
}
