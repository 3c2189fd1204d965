package painters.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The unigram line by hand. */
class UnigramBaselineTest {

    /**
     * Vocabulary 4; training targets (each window's tokens after its first) 1, 1, 2 | 1, 3: counts 3, 1, 1 of N = 5,
     * so add-one p(1) = 4/9, p(2) = 2/9, p(0) = 1/9. Held-out targets 1, 2 | 0: (ln 4/9 + ln 2/9 + ln 1/9) / 3. A first
     * token is context, never a target: counting it (token 0 in both training windows) would change p(0) to 3/11.
     */
    @Test
    void theHeldOutTargetsAreScoredByTheTrainingTargetsAddOneFrequencies() {
        double ll = UnigramBaseline.heldOutLogLikelihood(List.of(new int[] {0, 1, 1, 2}, new int[] {0, 1, 3}),
                List.of(new int[] {3, 1, 2}, new int[] {2, 0}), 4);
        double hand = (Math.log(4.0 / 9) + Math.log(2.0 / 9) + Math.log(1.0 / 9)) / 3;
        assertEquals(hand, ll, 1e-12);
        double withFirsts = (Math.log(4.0 / 11) + Math.log(2.0 / 11) + Math.log(3.0 / 11)) / 3;
        assertTrue(Math.abs(ll - withFirsts) > 0.1, "first tokens are not targets");
    }

    /** A held-out text of the one token the training text repeats scores near ln 1: the line a context-free model meets. */
    @Test
    void aTextOfOneTokenIsNearlyCertain() {
        int[] w = new int[1001];
        Arrays.fill(w, 2);
        assertEquals(Math.log(1001.0 / 1003), UnigramBaseline.heldOutLogLikelihood(List.of(w), List.of(new int[] {2, 2}),
                3), 1e-12);
        assertThrows(IllegalStateException.class, () -> UnigramBaseline.heldOutLogLikelihood(List.of(new int[] {0, 5}),
                List.of(new int[] {0, 1}), 3));
    }
}
