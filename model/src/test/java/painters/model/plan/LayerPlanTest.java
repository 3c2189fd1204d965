package painters.model.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Plans as data: the paper's variants worked out by hand for T = 12, text round trips, cost counts. */
class LayerPlanTest {

    static final int T = 12;

    @ParameterizedTest(name = "{0} at s={1}")
    @CsvSource(delimiter = '|', value = {
        // variant        | s | text (F=[0..s], M=[s+1..T-s-1], L=[T-s..T-1]) | depth | applications
        "skip             | 4 | 0-4,8-11                    |  9 |  9",
        "skip             | 0 | 0                           |  1 |  1",
        "middle-repeat    | 4 | 0-4,6x3,8-11                | 12 | 12",
        "middle-repeat    | 0 | 0,6x11                      | 12 | 12",
        "reverse          | 4 | 0-4,7-5,8-11                | 12 | 12",
        "reverse          | 5 | 0-11                        | 12 | 12",  // |M| = 1: reversing is the identity
        "parallel         | 4 | 0-4,P(5-7),8-11             | 10 | 12",
        "parallel         | 0 | 0,P(1-11)                   |  2 | 12",
        "looped-parallel  | 4 | 0-4,P(5-7)x3,8-11           | 12 | 18",
        "repeat-in-place  | 4 | 0-4,5x2,6x2,7x2,8-11        | 15 | 15"})
    void variantsFollowThePapersIndexConvention(String variant, int s, String text, int depth, int apps) {
        LayerPlan p = Variant.parse(variant).plan(new Split(T, s));
        assertEquals(text, p.print());
        assertEquals(depth, p.depth(), "sequential depth");
        assertEquals(apps, p.applications(), "block applications");
    }

    @Test
    void splitSizes() {
        assertEquals(List.of(6), new Split(T, 5).middle());
        assertEquals(11, new Split(T, 0).affected());
        assertEquals(List.of(), new Split(T, 0).last());
        assertEquals(List.of(8, 9, 10, 11), new Split(T, 4).last());
        assertEquals(6, Split.all(T).size());
        assertThrows(IllegalArgumentException.class, () -> new Split(T, 6));
        assertThrows(IllegalArgumentException.class, () -> new Split(T, -1));
    }

    @Test
    void randomOrderIsASeededPermutationOfTheMiddle() {
        Split sp = new Split(T, 2);
        LayerPlan a = Variant.RANDOM.plan(sp, 7, 0);
        LayerPlan b = Variant.RANDOM.plan(sp, 7, 0);
        LayerPlan c = Variant.RANDOM.plan(sp, 8, 0);
        assertEquals(a, b);
        assertNotEquals(a, c);
        assertTrue(a.print().endsWith(";seed=7"), a.print());
        List<Integer> order = a.asSequence().orElseThrow();
        assertEquals(List.of(0, 1, 2), order.subList(0, 3));
        assertEquals(List.of(10, 11), order.subList(10, 12));
        List<Integer> mid = new ArrayList<>(order.subList(3, 10));                 // M = [3..9]
        assertNotEquals(sp.middle(), mid, "seed 7 should not give the identity order of 7 blocks");
        mid.sort(null);
        assertEquals(sp.middle(), mid);
    }

    @Test
    void singleLayerSkipAndSwitch() {
        assertEquals("0-2,4-11", Variant.skipLayer(T, 3).print());
        assertEquals("0-2,4-3,5-11", Variant.switchNeighbours(T, 3).print());
        assertEquals(LayerPlan.identity(T), Variant.skipRange(T, 5, 5));
        assertThrows(IllegalArgumentException.class, () -> Variant.switchNeighbours(T, 11));
    }

    @Test
    void roundTripOverEveryFactoryAndSplit() {
        for (Split sp : Split.all(T)) {
            for (Variant v : Variant.values()) {
                for (int k : new int[] {1, 2, 3}) {
                    LayerPlan p = v.plan(sp, 31L * sp.s() + k, k);
                    assertEquals(p, LayerPlan.parse(p.print(), T), p.print());
                }
            }
        }
        for (int n = 0; n < T; n++) {
            assertEquals(Variant.skipLayer(T, n), LayerPlan.parse(Variant.skipLayer(T, n).print(), T));
        }
        for (int n = 0; n < T - 1; n++) {
            assertEquals(Variant.switchNeighbours(T, n), LayerPlan.parse(Variant.switchNeighbours(T, n).print(), T));
        }
    }

    @Test
    void roundTripOverRandomPlans() {
        Random r = new Random(2024);
        for (int i = 0; i < 2000; i++) {
            int t = 1 + r.nextInt(40);
            LayerPlan p = new LayerPlan(t, randomSteps(r, t, 0), r.nextInt(4) == 0 ? OptionalLong.of(r.nextInt(1000))
                    : OptionalLong.empty());
            String text = p.print();
            assertEquals(p, LayerPlan.parse(text, t), text);
            assertEquals(text, LayerPlan.parse(text, t).print());
        }
    }

    static List<Step> randomSteps(Random r, int t, int depth) {
        List<Step> steps = new ArrayList<>();
        int n = 1 + r.nextInt(6);
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(depth < 2 ? 5 : 3);
            switch (kind) {
                case 0, 1, 2 -> {
                    // runs, often contiguous (ascending or descending) to exercise range printing
                    int a = r.nextInt(t);
                    int len = 1 + r.nextInt(4);
                    int dir = r.nextBoolean() ? 1 : -1;
                    for (int j = 0; j < len && a >= 0 && a < t; j++, a += dir) {
                        steps.add(new Step.Run(a));
                    }
                }
                case 3 -> {
                    List<Integer> all = new ArrayList<>(LayerPlan.range(0, t - 1));
                    Collections.shuffle(all, r);
                    steps.add(new Step.Parallel(all.subList(0, 1 + r.nextInt(t))));
                }
                default -> steps.add(new Step.Loop(randomSteps(r, t, depth + 1), 1 + r.nextInt(4)));
            }
        }
        return steps;
    }

    @Test
    void reversingTwiceIsTheIdentity() {
        assertEquals(LayerPlan.identity(T), LayerPlan.identity(T).reversed().reversed());
        assertEquals("11-0", LayerPlan.identity(T).reversed().print());
        Random r = new Random(9);
        for (int i = 0; i < 500; i++) {
            LayerPlan p = new LayerPlan(T, randomSteps(r, T, 0));
            assertEquals(p, p.reversed().reversed(), p.print());
        }
    }

    @Test
    void computationKeyIdentifiesPlansThatComputeTheSameFunction() {
        String identity = LayerPlan.identity(T).computationKey();
        assertEquals("0-11", identity);
        assertEquals(identity, LayerPlan.parse("0-5,P(6),(7-8)x1,9-11;seed=3", T).computationKey());
        assertEquals(identity, Variant.RANDOM.plan(new Split(T, 5), 7, 0).computationKey(), "|M| = 1: no reordering");
        assertEquals(identity, Variant.MIDDLE_REPEAT.plan(new Split(T, 5)).computationKey(), "6x1 is block 6");
        assertEquals(identity, Variant.PARALLEL.plan(new Split(T, 5)).computationKey());
        assertEquals("0-5,6x3,7-11", Variant.LOOPED_PARALLEL.plan(new Split(T, 5)).computationKey());
        assertNotEquals(identity, Variant.REVERSE.plan(new Split(T, 4)).computationKey());
    }

    @Test
    void handWrittenPlansParse() {
        LayerPlan p = LayerPlan.parse("0-5, P(6-11)x3", T);
        assertEquals("0-5,P(6-11)x3", p.print());
        assertEquals(9, p.depth());
        assertEquals(24, p.applications());
        LayerPlan nested = LayerPlan.parse("0,((1,3)x2,P(4,9))x2,11", T);
        assertEquals(1 + 2 * (2 * 2 + 1) + 1, nested.depth());
        assertEquals(1 + 2 * (2 * 2 + 2) + 1, nested.applications());
        assertEquals(nested, LayerPlan.parse(nested.print(), T));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "0-5,P(6-14)x3 | block 14 is outside 0..11 | 8",
        "0-5,P()x3     | empty parallel set        | 6",
        "0-5,6x0       | at least once             | 6",
        "0-5,,6        | expected a block index    | 4",
        "0-5,P(6,6)    | appears twice             | 4",
        "0-5,(6,7      | expected ')'              | 8",
        "abc           | expected a block index    | 0",
        "0-11;seed=x   | expected a number         | 10",
        "0-4 7         | unexpected '7'            | 4"})
    void badPlansPointAtTheOffendingPart(String text, String problem, int position) {
        PlanParseException e = assertThrows(PlanParseException.class, () -> LayerPlan.parse(text, T));
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertEquals(position, e.position(), e.getMessage());
        assertTrue(e.getMessage().contains("\"" + text + "\""), e.getMessage());
    }

    @Test
    void constructorsRejectInvalidPlans() {
        assertThrows(IllegalArgumentException.class, () -> new LayerPlan(T, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Step.Loop(List.of(new Step.Run(1)), 0));
        assertThrows(IllegalArgumentException.class, () -> new Step.Parallel(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Step.Run(-1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LayerPlan(T, List.of(new Step.Run(0), new Step.Parallel(List.of(3, 12)))));
        assertTrue(e.getMessage().contains("P(3,12)") && e.getMessage().contains("0..11"), e.getMessage());
    }

    @Test
    void aHugePlanIsRefusedBeforeAGraphIsBuiltNamingItsSizeAndTheLimit() {
        LayerPlan huge = LayerPlan.parse("0-11x1000000", 12);
        assertEquals(12_000_000, huge.applications());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, huge::checkSize);
        assertTrue(e.getMessage().contains("12,000,000 block applications") && e.getMessage().contains("10,000")
                && e.getMessage().contains("painters.maxApplications"), e.getMessage());
        assertThrows(IllegalArgumentException.class, huge::flattened, "unrolling it is refused too");
        LayerPlan overflow = LayerPlan.parse("(0-11x100000)x100000", 12);
        assertEquals(Integer.MAX_VALUE, overflow.applications(), "saturates instead of overflowing");
        assertTrue(assertThrows(IllegalArgumentException.class, overflow::checkSize).getMessage()
                .contains("more than 2^31"));
        LayerPlan paper = LayerPlan.parse("0-5,P(6-11)x8", 12);
        assertSame(paper, paper.checkSize(), "the paper's plans pass");
    }

    @Test
    void aNegativeSeedPrintsAndParsesBack() {
        LayerPlan p = LayerPlan.parse("0-4,6,5,7,8-11;seed=-3", 12);
        assertEquals(-3, p.seed().getAsLong());
        assertEquals(p, LayerPlan.parse(p.print(), 12));
    }

    /** A plan crosses a process boundary (a Spark task) as the same value: seeded, parallel and looped steps. */
    @Test
    void javaSerializationKeepsThePlan() throws Exception {
        for (LayerPlan p : List.of(LayerPlan.parse("0-4,6,5,7,8-11;seed=7", T), LayerPlan.parse("0-3,P(4-7)x3,(8,9)x2,10-11", T),
                LayerPlan.identity(T))) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(p);
            }
            Object back;
            try (ObjectInputStream in = new ObjectInputStream(
                    new ByteArrayInputStream(bytes.toByteArray()))) {
                back = in.readObject();
            }
            assertEquals(p, back);
            assertEquals(p.seed(), ((LayerPlan) back).seed());
        }
    }
}
