package painters.study.figures;

import java.awt.Color;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;

/** The look every study figure shares: a white plot with grid lines, the legend outside, one colour per variant. */
public final class Charts {

    /** A colour per variant (and the full model, hand-written plans, single-layer skips), the same in every figure. */
    public static final Map<String, Color> COLORS = Map.ofEntries(Map.entry("skip", new Color(0x1f77b4)),
            Map.entry("middle-repeat", new Color(0xd62728)), Map.entry("reverse", new Color(0x2ca02c)),
            Map.entry("random", new Color(0xff7f0e)), Map.entry("parallel", new Color(0x9467bd)),
            Map.entry("looped-parallel", new Color(0x8c564b)), Map.entry("repeat-in-place", new Color(0xe377c2)),
            Map.entry("merge", new Color(0xbcbd22)), Map.entry("skip-layer", new Color(0x7f7f7f)),
            Map.entry("plan", new Color(0x17becf)), Map.entry("full", Color.BLACK));

    private Charts() {}

    /** Applies the shared look to a chart. */
    public static void style(XYChart c) {
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setPlotGridLinesVisible(true);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setMarkerSize(7);
    }
}
