package painters.regimes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import painters.eval.metric.Welch;

/** The regimes contrasts on hand-made rows, against scipy's Welch test ({@code ttest_ind(b, a, equal_var=False)}). */
class RegimesOutputsTest {

    static List<String> row(String regime, int seed, String variant, int split, int affected, double v) {
        return List.of(regime, Integer.toString(seed), variant, Integer.toString(split), Integer.toString(affected),
                Double.toString(v), "1");
    }

    @Test
    void eachRegimeAgainstTheFirstIsWelchsOverTheSeeds() {
        List<String> regimes = List.of("standard", "none", "layerdrop(0.2)");
        List<List<String>> rows = new ArrayList<>();
        // skip at s = 2, |M| = 3: two seeds a side; scipy: t -4.919349550499538, df 1.4705882352941175 (t.ppf 6.188)
        rows.add(row("standard", 0, "skip", 2, 3, 0.8));
        rows.add(row("standard", 1, "skip", 2, 3, 0.9));
        rows.add(row("none", 0, "skip", 2, 3, 0.2));
        rows.add(row("none", 1, "skip", 2, 3, 0.4));
        // reverse at s = 1: three and four seeds; scipy: t -23.94478943687898, df 4.492227979274602
        double[] std = {0.80, 0.82, 0.81};
        double[] none = {0.50, 0.55, 0.52, 0.53};
        for (int k = 0; k < std.length; k++) {
            rows.add(row("standard", k, "reverse", 1, 4, std[k]));
        }
        for (int k = 0; k < none.length; k++) {
            rows.add(row("none", k, "reverse", 1, 4, none[k]));
        }
        rows.add(row("layerdrop(0.2)", 0, "reverse", 1, 4, 0.79));       // one seed: not called
        Map<String, Map<String, Welch>> c = RegimesContrasts.of(regimes, rows);
        assertEquals(List.of("skip | 2 | 3", "reverse | 1 | 4"), List.copyOf(c.keySet()), "the paper's order of variants");
        Welch skip = c.get("skip | 2 | 3").get("none");
        assertEquals(-0.55, skip.difference(), 1e-12);
        assertEquals(1.4705882352941175, skip.df(), 1e-9);
        assertEquals(Welch.Call.WITHIN, skip.call(), "|t| 4.92 is below t(97.5%, 1.47 df) = 6.19");
        Welch reverse = c.get("reverse | 1 | 4").get("none");
        assertEquals(-23.94478943687898, reverse.difference() / reverse.se(), 1e-9);
        assertEquals(Welch.Call.LOWER, reverse.call());
        assertEquals(Welch.Call.NOT_CALLED, c.get("reverse | 1 | 4").get("layerdrop(0.2)").call());
        String report = RegimesContrasts.section(regimes, rows);
        assertTrue(report.contains("| skip | 2 | 3 | -0.550 +- 0.112 (within the errors) | - |"), report);
        assertTrue(report.contains("| reverse | 1 | 4 | -0.285 +- 0.012 (lower) | -0.020 (not called: a single replicate) |"),
                report);
        assertTrue(report.contains("- none against standard: lower at 1 plan, within the errors at 1 plan."), report);
        String csv = RegimesContrasts.csv(regimes, rows);
        assertTrue(csv.contains("none,standard,reverse,1,4,-0.285000,0.011902,4.492,2.660,lower"), csv);
    }
}
