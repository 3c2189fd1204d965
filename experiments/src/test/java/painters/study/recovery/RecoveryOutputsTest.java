package painters.study.recovery;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Recovery summaries over seeds, on hand-computed curves: errors, steps per seed, gaps against the control. */
class RecoveryOutputsTest {

    static RecoverySummary.Curve acc(String variant, long seed, double... values) {
        List<Double> v = Arrays.stream(values).boxed().toList();
        return new RecoverySummary.Curve("t", "all", variant, variant.equals("full") ? -1 : 2, variant.equals("full") ? 0
                : 3, -1, variant, 100, 0.5, List.of(0, 10, 20).subList(0, v.size()), v, nan(v.size()),
                List.of(0L, 10L, 20L).subList(0,
                v.size()), "accuracy", true, seed, 400, variant.equals("full") ? 12 : 9, nan(v.size()));
    }

    static RecoverySummary.Curve ppl(String variant, long seed, double... values) {
        List<Double> v = Arrays.stream(values).boxed().toList();
        return new RecoverySummary.Curve("text", "all", variant, variant.equals("full") ? -1 : 1, variant.equals("full")
                ? 0 : 2, -1, variant, 100, Double.NaN, List.of(0, 10, 20), v, nan(3), List.of(0L, 10L, 20L), "perplexity",
                false,
                seed, 0, variant.equals("full") ? 5 : 3, nan(3));
    }

    static List<Double> nan(int n) {
        return Collections.nCopies(n, Double.NaN);
    }

    @Test
    void seedsAreAveragedAndTheirSpreadIsTheError() {
        List<RecoverySummary.Row> rows = RecoverySummary.summarise(List.of(
                acc("full", 0, 0.9, 0.92, 0.95), acc("full", 1, 0.9, 0.94, 0.95),
                acc("skip", 0, 0.6, 0.80, 0.86), acc("skip", 1, 0.6, 0.70, 0.90)), 0.9);
        RecoverySummary.Row skip = rows.stream().filter(r -> r.c().variant().equals("skip")).findFirst().orElseThrow();
        assertEquals(2, skip.seeds());
        assertEquals(0.88, skip.m().recovered(), 1e-12);
        double seedSe = Math.abs(0.86 - 0.90) / Math.sqrt(2) / Math.sqrt(2);     // sd of two values / sqrt(2)
        // the runs' mean binomial item error (no error recorded: old results): same items, so it does not shrink
        double itemSe = (Math.sqrt(0.86 * 0.14 / 400) + Math.sqrt(0.90 * 0.10 / 400)) / 2;
        assertEquals(Math.hypot(seedSe, itemSe), skip.recoveredSe(), 1e-12);
        // target: chance + 0.9 (0.95 - 0.5) = 0.905: the mean curve (0.6, 0.75, 0.88) never reaches it; each seed: never
        assertEquals(-1, skip.m().stepsToTarget());
        assertEquals(List.of(-1, -1), skip.steps());
        // gap against the control: frozen full 0.9 - frozen 0.6 = 0.3; fine-tuned full 0.95 - recovered 0.88 = 0.07
        assertEquals(1 - 0.07 / 0.3, skip.gapVsControl(), 1e-12);
        assertEquals((0.88 - 0.6) / (0.9 - 0.6), skip.gapClosed(), 1e-12, "against the frozen full model");
        // change: normalised by (0.9 - 0.5): seeds 0.26 and 0.30 -> mean 0.28 / 0.4
        assertEquals(0.28 / 0.4, skip.change(), 1e-12);
        // their errors, by hand: the frozen gap 0.3 has the binomial item errors of both frozen ends (400 items)
        double gap0Se = Math.hypot(Math.sqrt(0.9 * 0.1 / 400), Math.sqrt(0.6 * 0.4 / 400));
        // behind the control, per seed against the control's run of that seed: 0.95 - 0.86 = 0.09, 0.95 - 0.90 = 0.05
        double behindSe = Math.hypot(0.04 / Math.sqrt(2) / Math.sqrt(2), Math.hypot(itemSe, Math.sqrt(0.95 * 0.05 / 400)));
        assertEquals(Math.sqrt(behindSe * behindSe + Math.pow(0.07 / 0.3 * gap0Se, 2)) / 0.3, skip.gapVsControlSe(), 1e-12);
        // gained, per seed: 0.26, 0.30 (seeds 0.02, items of both ends); over the same frozen gap
        double gainSe = Math.hypot(0.02, Math.hypot(itemSe, Math.sqrt(0.6 * 0.4 / 400)));
        assertEquals(Math.sqrt(gainSe * gainSe + Math.pow(0.28 / 0.3 * gap0Se, 2)) / 0.3, skip.gapClosedSe(), 1e-12);
        assertTrue(RecoveryOutputs.a2Verdict(rows, 12).contains("| helps |"), RecoveryOutputs.a2Verdict(rows, 12));
    }

    @Test
    void aPerplexityIsRecoveredInLogSpaceAgainstTheFineTunedFullModel() {
        // frozen full 20, fine-tuned full 10 (domain adaptation alone halves it); skip frozen 400, recovered 40
        List<RecoverySummary.Row> rows = RecoverySummary.summarise(List.of(ppl("full", 0, 20, 12, 10),
                ppl("skip", 0, 400, 60, 40)), 0.9);
        RecoverySummary.Row skip = rows.stream().filter(r -> r.c().variant().equals("skip")).findFirst().orElseThrow();
        double g0 = Math.log(400) - Math.log(20);
        double g1 = Math.log(40) - Math.log(10);
        assertEquals(1 - g1 / g0, skip.gapVsControl(), 1e-12, "nats per token, against the control");
        assertEquals((Math.log(400) - Math.log(40)) / g0, skip.gapClosed(), 1e-12, "nats per token, against frozen full");
        // target: 90% of the way from ln 400 to ln 10: exp(ln 400 + 0.9 (ln 10 - ln 400)) = 14.48...: never reached
        assertEquals(-1, skip.m().stepsToTarget());
        assertEquals(Math.log(400) - Math.log(40), skip.change(), 1e-12, "nats per token gained");
        assertTrue(Double.isNaN(skip.changeSe()), "one seed, no item error: no error");
        assertTrue(RecoveryOutputs.a2Verdict(rows, 4).contains("no error known"), RecoveryOutputs.a2Verdict(rows, 4));
        RecoverySummary.Row reach = RecoverySummary.summarise(List.of(ppl("full", 0, 20, 12, 10),
                ppl("skip", 0, 400, 14, 12)), 0.9).stream().filter(r -> r.c().variant().equals("skip")).findFirst()
                .orElseThrow();
        assertEquals(10, reach.m().stepsToTarget(), "14 <= 14.48 at step 10");
    }

    @Test
    void anEncodersFrozenEndsVaryWithTheProbesSeed() {
        // step 0 is a probe trained with the seed: the plan's frozen 0.58 and 0.62 (the full model's agree at 0.9)
        List<RecoverySummary.Row> rows = RecoverySummary.summarise(List.of(
                acc("full", 0, 0.9, 0.92, 0.95), acc("full", 1, 0.9, 0.94, 0.95),
                acc("skip", 0, 0.58, 0.80, 0.86), acc("skip", 1, 0.62, 0.70, 0.90)), 0.9);
        RecoverySummary.Row skip = rows.stream().filter(r -> r.c().variant().equals("skip")).findFirst().orElseThrow();
        double binomial = (Math.sqrt(0.58 * 0.42 / 400) + Math.sqrt(0.62 * 0.38 / 400)) / 2;
        double gap0Se = Math.hypot(Math.hypot(Math.sqrt(0.9 * 0.1 / 400), binomial), 0.04 / Math.sqrt(2) / Math.sqrt(2));
        double itemSe = (Math.sqrt(0.86 * 0.14 / 400) + Math.sqrt(0.90 * 0.10 / 400)) / 2;
        double behindSe = Math.hypot(0.04 / Math.sqrt(2) / Math.sqrt(2), Math.hypot(itemSe, Math.sqrt(0.95 * 0.05 / 400)));
        assertEquals(1 - 0.07 / 0.3, skip.gapVsControl(), 1e-12);
        assertEquals(Math.sqrt(behindSe * behindSe + Math.pow(0.07 / 0.3 * gap0Se, 2)) / 0.3, skip.gapVsControlSe(), 1e-12);
    }

    @Test
    void behindTheControlIsPairedBySeed() {
        // each seed's plan run ends 4x its control's run of the same seed: no spread between seeds once paired, although
        // the plan's runs (40, 44) and the controls' (10, 11) each spread
        List<RecoverySummary.Curve> curves = List.of(ppl("full", 0, 20, 12, 10), ppl("full", 1, 20, 12, 11),
                ppl("skip", 0, 400, 60, 40), ppl("skip", 1, 400, 60, 44));
        RecoverySummary.Row skip = RecoverySummary.summarise(curves, 0.9).stream()
                .filter(r -> r.c().variant().equals("skip")).findFirst().orElseThrow();
        assertEquals(0, skip.gapVsControlSe(), 1e-12, "paired by seed");
        double g0 = Math.log(400) - Math.log(20);
        assertEquals(Math.abs(Math.log(44) - Math.log(40)) / 2 / g0, skip.gapClosedSe(), 1e-12, "the gain spreads");
        // negative control: swap the controls' seeds and the pairing sees the spread (|ln 4.4 - ln 3.636...| / 2)
        List<RecoverySummary.Curve> swapped = List.of(ppl("full", 1, 20, 12, 10), ppl("full", 0, 20, 12, 11),
                curves.get(2), curves.get(3));
        RecoverySummary.Row s2 = RecoverySummary.summarise(swapped, 0.9).stream()
                .filter(r -> r.c().variant().equals("skip")).findFirst().orElseThrow();
        assertEquals(Math.abs(Math.log(40.0 / 11) - Math.log(44.0 / 10)) / 2 / g0, s2.gapVsControlSe(), 1e-12);
        // a plan seed without a control run of that seed has no paired error
        RecoverySummary.Row lone = RecoverySummary.summarise(List.of(curves.get(0), curves.get(2), curves.get(3)), 0.9)
                .stream().filter(r -> r.c().variant().equals("skip")).findFirst().orElseThrow();
        assertTrue(Double.isNaN(lone.gapVsControlSe()), "no control run for seed 1");
    }

    @Test
    void aChangeWithinItsErrorsIsNotCalled() {
        List<RecoverySummary.Row> rows = RecoverySummary.summarise(List.of(acc("full", 0, 0.9, 0.9, 0.95),
                acc("full", 1, 0.9, 0.9, 0.95), acc("skip", 0, 0.6, 0.6, 0.62), acc("skip", 1, 0.6, 0.6, 0.59)), 0.9);
        assertTrue(RecoveryOutputs.a2Verdict(rows, 12).contains("| within the errors |"),
                RecoveryOutputs.a2Verdict(rows, 12));
    }

    static RecoverySummary.Curve ppl(String variant, long seed, double[] values, double[] errors) {
        RecoverySummary.Curve c = ppl(variant, seed, values);
        return new RecoverySummary.Curve(c.task(), c.policy(), c.variant(), c.split(), c.affected(), c.planSeed(),
                c.plan(), c.trainable(), c.chance(), c.steps(), c.values(),
                Arrays.stream(errors).boxed().toList(), c.tokens(), c.metric(), c.higherIsBetter(), seed, 0,
                c.applications(), c.flops());
    }

    @Test
    void recordedItemErrorsEnterEveryPointAndAPerplexitysChangeInNats() {
        List<RecoverySummary.Curve> curves = List.of(
                ppl("full", 0, new double[] {20, 12, 10}, new double[] {1, 0.6, 0.5}),
                ppl("full", 1, new double[] {20, 12, 10}, new double[] {1, 0.6, 0.5}),
                ppl("skip", 0, new double[] {400, 60, 40}, new double[] {20, 3, 2}),
                ppl("skip", 1, new double[] {400, 50, 44}, new double[] {20, 2.5, 2.2}));
        RecoverySummary.Row skip = RecoverySummary.summarise(curves, 0.9).stream()
                .filter(r -> r.c().variant().equals("skip")).findFirst().orElseThrow();
        // recovered 42 +- (seeds |40 - 44| / sqrt 2 / sqrt 2 = 2; items: the runs' mean 2.1)
        assertEquals(42, skip.m().recovered(), 1e-12);
        assertEquals(Math.hypot(2, 2.1), skip.recoveredSe(), 1e-12);
        // change in nats: seeds |ln 44 - ln 40| / 2; items: 2/40 = 2.2/44 = 0.05 at the end, 20/400 = 0.05 at step 0
        assertEquals(Math.hypot(Math.abs(Math.log(44) - Math.log(40)) / 2, Math.hypot(0.05, 0.05)), skip.changeSe(),
                1e-12);
        // every point of the mean curve: step 10 is 55 +- hypot(|60 - 50| / 2, (3 + 2.5) / 2)
        assertEquals(55, skip.c().values().get(1), 1e-12);
        assertEquals(Math.hypot(5, 2.75), skip.c().errors().get(1), 1e-12);
        String csv = RecoveryOutputs.curvesCsv(RecoverySummary.summarise(curves, 0.9));
        assertTrue(csv.contains("text,all,skip,1,2,-1,skip,perplexity,2,10,10,55.000000,"
                + String.format(Locale.ROOT, "%.6f", Math.hypot(5, 2.75))), csv);
        // the full model's runs agree: its points carry the item error alone
        RecoverySummary.Row full = RecoverySummary.summarise(curves, 0.9).stream()
                .filter(r -> r.c().variant().equals("full")).findFirst().orElseThrow();
        assertEquals(0.6, full.c().errors().get(1), 1e-12);

        // a run without recorded errors (written before they were stored): the items' part is unknown, seeds only
        List<RecoverySummary.Curve> mixed = List.of(curves.get(0), curves.get(2), ppl("skip", 1, 400, 50, 44));
        RecoverySummary.Row m = RecoverySummary.summarise(mixed, 0.9).stream()
                .filter(r -> r.c().variant().equals("skip")).findFirst().orElseThrow();
        assertEquals(2, m.recoveredSe(), 1e-12);
    }
}
