package painters.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ask-and-tell loop the sweep and the plan search share, driven by hand as an engine drives it. */
class AskAndTellTest {

    record Key(String key) implements Unit {
        @Override
        public List<String> keys() {
            return List.of(key);
        }

        @Override
        public String label() {
            return key;
        }
    }

    /** A generation-by-generation stage: two generations of two units, the second only once the first is stored. */
    @Test
    void aStageThatWaitsGetsItsNextGenerationOnlyOnceTheLastIsStored() {
        Deque<List<String>> generations = new ArrayDeque<>(List.of(List.of("g1a", "g1b"), List.of("g2a", "g2b")));
        Deque<String> current = new ArrayDeque<>();
        List<String> asked = new ArrayList<>();
        AskAndTell[] loop = new AskAndTell[1];
        AskAndTell.Stage gens = () -> {
            if (current.isEmpty()) {
                if (loop[0].outstanding()) {
                    return AskAndTell.Ask.WAIT;
                }
                if (generations.isEmpty()) {
                    return AskAndTell.Ask.OVER;
                }
                current.addAll(generations.poll());
            }
            asked.add(current.peek());
            return AskAndTell.Ask.hand(new Key(current.poll()));
        };
        boolean[] finalAsked = {false};
        AskAndTell.Stage last = AskAndTell.afterAllStored(() -> {
            if (finalAsked[0]) {
                return AskAndTell.Ask.OVER;
            }
            finalAsked[0] = true;
            return AskAndTell.Ask.hand(new Key("final"));
        });
        loop[0] = new AskAndTell(List.of(gens, last), () -> 5, () -> 0);

        assertFalse(loop[0].nextWaits());
        assertEquals("g1a", loop[0].next().label());
        assertEquals("g1b", loop[0].next().label());
        assertTrue(loop[0].nextWaits(), "generation 2 waits for generation 1's scores");
        assertThrows(IllegalStateException.class, () -> loop[0].next());
        loop[0].stored("g1a");
        assertTrue(loop[0].nextWaits(), "one of generation 1 is still out");
        loop[0].stored("g1b");
        assertFalse(loop[0].nextWaits());
        assertEquals("g2a", loop[0].next().label());
        assertEquals("g2b", loop[0].next().label());
        loop[0].stored("g2a");
        assertTrue(loop[0].nextWaits(), "the stage asks to wait while g2b is out");
        loop[0].stored("g2b");
        assertFalse(loop[0].nextWaits(), "the generations are over; the barrier stage may start");
        assertEquals("final", loop[0].next().label());
        assertNull(loop[0].next(), "every stage is over");
        assertNull(loop[0].next(), "and stays over");
        assertFalse(loop[0].nextWaits());
        assertEquals(List.of("g1a", "g1b", "g2a", "g2b"), asked);
        assertEquals(5, loop[0].total());
    }

    /** A barrier stage is not asked while a unit of an earlier stage is out, even if the earlier stage never waits. */
    @Test
    void aBarrierStageIsAskedOnlyOnceEverythingHandedOutIsStored() {
        int[] barrierAsks = {0};
        Deque<String> first = new ArrayDeque<>(List.of("a", "b"));
        AskAndTell loop = new AskAndTell(List.of(
                () -> first.isEmpty() ? AskAndTell.Ask.OVER : AskAndTell.Ask.hand(new Key(first.poll())),
                AskAndTell.afterAllStored(() -> {
                    barrierAsks[0]++;
                    return AskAndTell.Ask.OVER;                 // e.g. every final already stored (a resumed run)
                })), () -> 0, () -> 2);
        assertEquals("a", loop.next().label());
        assertEquals("b", loop.next().label());
        assertTrue(loop.nextWaits());
        assertEquals(0, barrierAsks[0], "not asked while a and b are out");
        loop.stored("b");
        loop.stored("a");
        assertNull(loop.next());
        assertEquals(1, barrierAsks[0]);
        assertEquals(2, loop.resumed());
        assertThrows(IllegalArgumentException.class, () -> AskAndTell.Ask.hand(null));
    }
}
