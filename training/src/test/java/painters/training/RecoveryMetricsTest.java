package painters.training;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecoveryMetricsTest {

    @Test
    void handComputedCurve() {
        // steps 0, 10, 30 with scores 0.2, 0.6, 0.7; target 0.55; reference (frozen full) 0.8
        RecoveryMetrics m = RecoveryMetrics.of(List.of(0, 10, 30), List.of(0.2, 0.6, 0.7), 0.55, 0.8);
        assertEquals(0.2, m.frozen());
        assertEquals(0.7, m.recovered());
        // area = 10 * 0.4 + 20 * 0.65 = 4 + 13 = 17, / 30
        assertEquals(17.0 / 30, m.auc(), 1e-12);
        assertEquals(10, m.stepsToTarget());
        assertEquals(0.5 / 0.6, m.gapClosed(), 1e-12);
    }

    @Test
    void neverReachingTheTargetAndNoGap() {
        RecoveryMetrics m = RecoveryMetrics.of(List.of(0, 5), List.of(0.5, 0.4), 0.9, 0.5);
        assertEquals(-1, m.stepsToTarget());
        assertTrue(Double.isNaN(m.gapClosed()));
        assertThrows(IllegalArgumentException.class, () -> RecoveryMetrics.of(List.of(1, 5), List.of(0.5, 0.4), 0, 0));
    }
}
