package painters.eval.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The latency summary worked out by hand. */
class PlanLatencyTest {

    @Test
    void medianAndTheStandardErrorOfTheRuns() {
        // runs 10, 14, 12 ms: median 12, mean 12, sample sd sqrt((4 + 4 + 0) / 2) = 2, se 2 / sqrt(3)
        PlanLatency l = PlanLatency.of(new double[] {10, 14, 12});
        assertEquals(12, l.medianMs(), 1e-12);
        assertEquals(2 / Math.sqrt(3), l.stderrMs(), 1e-12);
        assertEquals(3, l.runs());
        // an even count takes the mean of the middle two: 10, 11, 13, 30 -> 12
        assertEquals(12, PlanLatency.of(new double[] {30, 10, 13, 11}).medianMs(), 1e-12);
    }

    @Test
    void oneRunHasNoErrorAndIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PlanLatency.measure(null, null, 0, 1));
    }
}
