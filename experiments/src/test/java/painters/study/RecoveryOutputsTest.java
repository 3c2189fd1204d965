package painters.study;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Recovery summaries over seeds, on hand-computed curves: errors, steps per seed, gaps against the control. */
class RecoveryOutputsTest {

    static RecoveryOutputs.Curve acc(String variant, long seed, double... values) {
        List<Double> v = java.util.Arrays.stream(values).boxed().toList();
        return new RecoveryOutputs.Curve("t", "all", variant, variant.equals("full") ? -1 : 2, variant.equals("full") ? 0
                : 3, -1, variant, 100, 0.5, List.of(0, 10, 20).subList(0, v.size()), v, List.of(0L, 10L, 20L).subList(0,
                v.size()), "accuracy", true, seed, 400);
    }

    static RecoveryOutputs.Curve ppl(String variant, long seed, double... values) {
        List<Double> v = java.util.Arrays.stream(values).boxed().toList();
        return new RecoveryOutputs.Curve("text", "all", variant, variant.equals("full") ? -1 : 1, variant.equals("full")
                ? 0 : 2, -1, variant, 100, Double.NaN, List.of(0, 10, 20), v, List.of(0L, 10L, 20L), "perplexity", false,
                seed, 0);
    }

    @Test
    void seedsAreAveragedAndTheirSpreadIsTheError() {
        List<RecoveryOutputs.Row> rows = RecoveryOutputs.summarise(List.of(
                acc("full", 0, 0.9, 0.92, 0.95), acc("full", 1, 0.9, 0.94, 0.95),
                acc("skip", 0, 0.6, 0.80, 0.86), acc("skip", 1, 0.6, 0.70, 0.90)), 0.9);
        RecoveryOutputs.Row skip = rows.stream().filter(r -> r.c().variant().equals("skip")).findFirst().orElseThrow();
        assertEquals(2, skip.seeds());
        assertEquals(0.88, skip.m().recovered(), 1e-12);
        double seedSe = Math.abs(0.86 - 0.90) / Math.sqrt(2) / Math.sqrt(2);     // sd of two values / sqrt(2)
        double itemSe = Math.sqrt(0.88 * 0.12 / 400);
        assertEquals(Math.hypot(seedSe, itemSe), skip.recoveredSe(), 1e-12);
        // target: chance + 0.9 (0.95 - 0.5) = 0.905: the mean curve (0.6, 0.75, 0.88) never reaches it; each seed: never
        assertEquals(-1, skip.m().stepsToTarget());
        assertEquals(List.of(-1, -1), skip.steps());
        // gap against the control: frozen full 0.9 - frozen 0.6 = 0.3; fine-tuned full 0.95 - recovered 0.88 = 0.07
        assertEquals(1 - 0.07 / 0.3, skip.gapVsControl(), 1e-12);
        assertEquals((0.88 - 0.6) / (0.9 - 0.6), skip.gapClosed(), 1e-12, "against the frozen full model");
        // change: normalised by (0.9 - 0.5): seeds 0.26 and 0.30 -> mean 0.28 / 0.4
        assertEquals(0.28 / 0.4, skip.change(), 1e-12);
        assertTrue(RecoveryOutputs.a2Verdict(rows, 12).contains("| helps |"), RecoveryOutputs.a2Verdict(rows, 12));
    }

    @Test
    void aPerplexityIsRecoveredInLogSpaceAgainstTheFineTunedFullModel() {
        // frozen full 20, fine-tuned full 10 (domain adaptation alone halves it); skip frozen 400, recovered 40
        List<RecoveryOutputs.Row> rows = RecoveryOutputs.summarise(List.of(ppl("full", 0, 20, 12, 10),
                ppl("skip", 0, 400, 60, 40)), 0.9);
        RecoveryOutputs.Row skip = rows.stream().filter(r -> r.c().variant().equals("skip")).findFirst().orElseThrow();
        double g0 = Math.log(400) - Math.log(20);
        double g1 = Math.log(40) - Math.log(10);
        assertEquals(1 - g1 / g0, skip.gapVsControl(), 1e-12, "nats per token, against the control");
        assertEquals((Math.log(400) - Math.log(40)) / g0, skip.gapClosed(), 1e-12, "nats per token, against frozen full");
        // target: 90% of the way from ln 400 to ln 10: exp(ln 400 + 0.9 (ln 10 - ln 400)) = 14.48...: never reached
        assertEquals(-1, skip.m().stepsToTarget());
        assertEquals(Math.log(400) - Math.log(40), skip.change(), 1e-12, "nats per token gained");
        assertTrue(Double.isNaN(skip.changeSe()), "one seed, no item error: no error");
        assertTrue(RecoveryOutputs.a2Verdict(rows, 4).contains("no error known"), RecoveryOutputs.a2Verdict(rows, 4));
        RecoveryOutputs.Row reach = RecoveryOutputs.summarise(List.of(ppl("full", 0, 20, 12, 10),
                ppl("skip", 0, 400, 14, 12)), 0.9).stream().filter(r -> r.c().variant().equals("skip")).findFirst()
                .orElseThrow();
        assertEquals(10, reach.m().stepsToTarget(), "14 <= 14.48 at step 10");
    }

    @Test
    void aChangeWithinItsErrorsIsNotCalled() {
        List<RecoveryOutputs.Row> rows = RecoveryOutputs.summarise(List.of(acc("full", 0, 0.9, 0.9, 0.95),
                acc("full", 1, 0.9, 0.9, 0.95), acc("skip", 0, 0.6, 0.6, 0.62), acc("skip", 1, 0.6, 0.6, 0.59)), 0.9);
        assertTrue(RecoveryOutputs.a2Verdict(rows, 12).contains("| within the errors |"),
                RecoveryOutputs.a2Verdict(rows, 12));
    }
}
