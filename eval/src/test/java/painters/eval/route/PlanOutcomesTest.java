package painters.eval.route;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Scores, gains and their standard errors worked out by hand. */
class PlanOutcomesTest {

    /** Four inputs, two plans; plan 0 right on inputs 0, 1, 2; plan 1 right on 1 and 3. */
    private static final PlanOutcomes ACC = new PlanOutcomes(new double[][] {{1, 0}, {1, 1}, {1, 0}, {0, 1}},
            new double[] {1, 1, 1, 1}, false);

    @Test
    void accuracyAndItsStandardError() {
        // plan 0: 3/4; se = sd/sqrt(n), sd^2 = (3 * 0.0625 + 0.5625) / 3 = 0.25 -> se = 0.5 / 2 = 0.25
        PlanOutcomes.Estimate s = ACC.score(ACC.all(0));
        assertEquals(0.75, s.value(), 1e-12);
        assertEquals(0.25, s.stderr(), 1e-12);
        // oracle choice {0, 0, 0, 1}: 4/4, no spread
        PlanOutcomes.Estimate o = ACC.score(new int[] {0, 0, 0, 1});
        assertEquals(1.0, o.value(), 1e-12);
        assertEquals(0.0, o.stderr(), 1e-12);
    }

    @Test
    void pairedGainAndMixture() {
        // {0,0,0,1} vs all plan 1: per-input differences {1, 0, 1, 0}: mean 0.5, sd^2 = 1/3, se = sqrt(1/3)/2
        PlanOutcomes.Estimate g = ACC.gain(new int[] {0, 0, 0, 1}, ACC.all(1));
        assertEquals(0.5, g.value(), 1e-12);
        assertEquals(Math.sqrt(1.0 / 3) / 2, g.stderr(), 1e-12);
        // shares 3/4 on plan 0, 1/4 on plan 1; the mixture per input: 3/4 v0 + 1/4 v1 = {.75, 1, .75, .25}
        // differences from {1, 1, 1, 1}: {.25, 0, .25, .75}: mean 0.3125
        assertArrayEquals(new double[] {0.75, 0.25}, PlanOutcomes.shares(new int[] {0, 0, 0, 1}, 2), 1e-12);
        assertEquals(0.3125, ACC.gainOverMixture(new int[] {0, 0, 0, 1}).value(), 1e-12);
    }

    @Test
    void perplexityIsTheRatioOfSums() {
        // NLL 2 nats over 1 token and 4 over 3 on plan 0: r = 6/4 = 1.5; residuals v - r w = {0.5, -0.5}:
        // se(r) = sqrt(0.5 * 2 / 1) / 4 = 0.25; perplexity e^1.5, se e^1.5 * 0.25
        PlanOutcomes p = new PlanOutcomes(new double[][] {{2, 3}, {4, 3}}, new double[] {1, 3}, true);
        PlanOutcomes.Estimate s = p.score(p.all(0));
        assertEquals(Math.exp(1.5), s.value(), 1e-12);
        assertEquals(Math.exp(1.5) * 0.25, s.stderr(), 1e-12);
        // plan 1 has 6 nats over 4 tokens too: no gain; choosing plan 0 on input 0 (2 nats) and plan 1 on input 1 (3) saves 1 nat of 6
        assertEquals(0.0, p.gain(p.all(1), p.all(0)).value(), 1e-12);
        assertEquals(0.25, p.gain(new int[] {0, 1}, p.all(0)).value(), 1e-12);
    }

    @Test
    void meanOfAPerPlanQuantity() {
        // applications 12 and 5; choice {0, 1, 1, 1}: mean 6.75, sd^2 = (27.5625 + 3 * 3.0625) / 3 = 12.25, se 3.5/2
        PlanOutcomes.Estimate a = PlanOutcomes.mean(new int[] {0, 1, 1, 1}, new double[] {12, 5});
        assertEquals(6.75, a.value(), 1e-12);
        assertEquals(1.75, a.stderr(), 1e-12);
    }

    @Test
    void refusesBadWeightsAndChoices() {
        assertThrows(IllegalArgumentException.class, () -> new PlanOutcomes(new double[][] {{1}}, new double[] {0}, false));
        assertThrows(IllegalArgumentException.class, () -> ACC.score(new int[] {0}));
    }
}
