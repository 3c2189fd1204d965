package painters.study.recovery;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import painters.model.io.AtomicFiles;
import painters.study.figures.Charts;
import painters.study.recovery.HealingCost.Heal;

/**
 * One task's healing figure: inference compute saved by each plan against the tokens its fine-tuning took to heal 90%
 * of the gap (mean over seeds, error bars the seeds' standard error), one colour per variant, and the front.
 */
final class HealingFigure {

    private HealingFigure() {}

    /** Writes the figure; false (and no file) when no plan healed to 90% with every seed. */
    static boolean write(Path file, List<Heal> heals, String title) throws IOException {
        List<Heal> healed = heals.stream().filter(h -> h.first() != null && h.first().all()
                && Double.isFinite(h.saved())).toList();
        if (healed.isEmpty()) {
            return false;
        }
        XYChart ch = new XYChartBuilder().width(900).height(560).title("healing: " + title)
                .xAxisTitle("inference compute saved (% of the full model's block applications)")
                .yAxisTitle("training tokens to heal 90% of the gap").build();
        Charts.style(ch);
        ch.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        Map<String, List<Heal>> byVariant = new TreeMap<>();
        for (Heal h : healed) {
            byVariant.computeIfAbsent(h.row().c().variant() + ", " + h.row().c().policy(), k -> new ArrayList<>())
                    .add(h);
        }
        for (Map.Entry<String, List<Heal>> e : byVariant.entrySet()) {
            List<Heal> hs = e.getValue();
            double[] x = hs.stream().mapToDouble(h -> 100 * h.saved()).toArray();
            double[] y = hs.stream().mapToDouble(h -> h.first().meanTokens()).toArray();
            double[] err = hs.stream().mapToDouble(h -> Double.isFinite(h.first().seTokens()) ? h.first().seTokens() : 0)
                    .toArray();
            XYSeries s = ch.addSeries(e.getKey(), x, y, err);
            Color col = Charts.COLORS.getOrDefault(hs.get(0).row().c().variant(), Color.DARK_GRAY);
            s.setMarkerColor(col);
            s.setLineColor(col);
        }
        List<Heal> front = HealingCost.front(healed);
        XYSeries f = ch.addSeries("front", front.stream().mapToDouble(h -> 100 * h.saved()).toArray(),
                front.stream().mapToDouble(h -> h.first().meanTokens()).toArray());
        f.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        f.setMarker(SeriesMarkers.NONE);
        f.setLineColor(Color.BLACK);
        AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(ch, BitmapEncoder.BitmapFormat.PNG));
        return true;
    }
}
