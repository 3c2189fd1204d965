package painters.study.recovery;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import painters.model.io.AtomicFiles;
import painters.study.figures.Charts;
import painters.study.recovery.HealingCost.Heal;

/**
 * One task's healing figures: inference compute saved by each plan against the tokens its fine-tuning took to heal 90%
 * of the gap, and against the share of the gap it healed by the budget's end (means over seeds, error bars the seeds'
 * standard error), one colour per variant and policy, each with its front.
 */
final class HealingFigure {

    private HealingFigure() {}

    /** Writes the tokens-to-90% figure; false (and no file) when no plan healed to 90% with every seed. */
    static boolean write(Path file, List<Heal> heals, String title) throws IOException {
        List<Heal> healed = HealingCost.timed(heals);
        if (healed.isEmpty()) {
            return false;
        }
        chart(file, healed, HealingCost.front(healed), "healing: " + title, "training tokens to heal 90% of the gap",
                h -> h.first().meanTokens(), h -> h.first().seTokens());
        return true;
    }

    /** Writes the healed-within-the-budget figure; false (and no file) when no plan has a measurable gap. */
    static boolean writeBudget(Path file, List<Heal> heals, String title) throws IOException {
        List<Heal> measured = HealingCost.measured(heals);
        if (measured.isEmpty()) {
            return false;
        }
        chart(file, measured, HealingCost.budgetFront(measured), "healed within the budget: " + title,
                "share of the gap healed by the budget's end (%)", h -> 100 * h.healedMean(), h -> 100 * h.healedSe());
        return true;
    }

    private static void chart(Path file, List<Heal> heals, List<Heal> front, String title, String yTitle,
                              ToDoubleFunction<Heal> y, ToDoubleFunction<Heal> se) throws IOException {
        XYChart ch = new XYChartBuilder().width(900).height(560).title(title)
                .xAxisTitle("inference compute saved (% of the full model's block applications)").yAxisTitle(yTitle)
                .build();
        Charts.style(ch);
        ch.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        Map<String, List<Heal>> byVariant = new TreeMap<>();
        for (Heal h : heals) {
            byVariant.computeIfAbsent(h.row().c().variant() + ", " + h.row().c().policy(), k -> new ArrayList<>())
                    .add(h);
        }
        for (Map.Entry<String, List<Heal>> e : byVariant.entrySet()) {
            List<Heal> hs = e.getValue();
            double[] x = hs.stream().mapToDouble(h -> 100 * h.saved()).toArray();
            double[] ys = hs.stream().mapToDouble(y).toArray();
            double[] err = hs.stream().mapToDouble(h -> Double.isFinite(se.applyAsDouble(h)) ? se.applyAsDouble(h) : 0)
                    .toArray();
            XYSeries s = ch.addSeries(e.getKey(), x, ys, err);
            Color col = Charts.COLORS.getOrDefault(hs.get(0).row().c().variant(), Color.DARK_GRAY);
            s.setMarkerColor(col);
            s.setLineColor(col);
        }
        XYSeries f = ch.addSeries("front", front.stream().mapToDouble(h -> 100 * h.saved()).toArray(),
                front.stream().mapToDouble(y).toArray());
        f.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        f.setMarker(SeriesMarkers.NONE);
        f.setLineColor(Color.BLACK);
        AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(ch, BitmapEncoder.BitmapFormat.PNG));
    }
}
