package painters.model.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import painters.model.plan.PlanGenes.Action;

/** Genes to plans, worked out by hand for T = 12 (the plan text is written independently of the decoder). */
class PlanGenesTest {

    static final int T = 12;

    /** Genes from a string of actions: s skip, r run, 2 repeat, p parallel. */
    static double[] genes(String actions) {
        double[] g = new double[actions.length()];
        for (int i = 0; i < g.length; i++) {
            g[i] = PlanGenes.gene(switch (actions.charAt(i)) {
                case 's' -> Action.SKIP;
                case 'r' -> Action.RUN;
                case '2' -> Action.REPEAT;
                case 'p' -> Action.PARALLEL;
                default -> throw new IllegalArgumentException(actions);
            });
        }
        return g;
    }

    static String plan(String actions, Set<Integer> fixed) {
        return PlanGenes.decode(T, genes(actions), fixed, 0).map(LayerPlan::print).orElse("none");
    }

    @Test
    void actionsDecodeToTheirSteps() {
        assertEquals("0-11", plan("rrrrrrrrrrrr", Set.of()));
        assertEquals("0-4,8-11", plan("rrrrrsssrrrr", Set.of()), "the paper's skip at s = 4");
        assertEquals("0-4,P(5-7),8-11", plan("rrrrrrpprrrr", Set.of()), "the paper's parallel at s = 4");
        assertEquals("0-4,6x2,8-11", plan("rrrrrs2srrrr", Set.of()));
        // a skipped block inside a parallel group leaves the group open; a repeat closes it
        assertEquals("0-3,P(4,6-7),8x2,9-11", plan("rrrrrspp2rrr", Set.of()));
        // parallel with nothing before it starts its own group
        assertEquals("P(0-1),2-11", plan("pprrrrrrrrrr", Set.of()));
        assertEquals("none", plan("ssssssssssss", Set.of()));
        // fixed blocks run once on their own whatever their gene says
        assertEquals("0,11", plan("ssssssssssss", Set.of(0, 11)));
        assertEquals("0,P(1-10),11", plan("pppppppppppp", Set.of(0, 11)));
    }

    @Test
    void orderGenesMoveABlockAtMostHalfTheWindow() {
        double[] g = new double[2 * T];
        System.arraycopy(genes("rrrrrrrrrrrr"), 0, g, 0, T);
        for (int i = 0; i < T; i++) {
            g[T + i] = 0.5;
        }
        assertEquals("0-11", PlanGenes.decode(T, g, Set.of(), 2).orElseThrow().print(), "centred order genes: no move");
        g[T + 6] = 0.0;      // block 6 to position 5 (window 2: at most one place), ties keep the pretrained order
        g[T + 5] = 1.0;      // block 5 to position 6
        assertEquals("0-4,6-5,7-11", PlanGenes.decode(T, g, Set.of(), 2).orElseThrow().print());
        assertEquals("0-11", PlanGenes.decode(T, g, Set.of(), 0).orElseThrow().print(), "window 0: no reordering");
    }

    @Test
    void badGenesAreErrors() {
        assertThrows(IllegalArgumentException.class, () -> PlanGenes.decode(T, new double[5], Set.of(), 0));
        assertThrows(IllegalArgumentException.class, () -> PlanGenes.action(1.5));
        assertEquals(Action.PARALLEL, PlanGenes.action(1.0), "1 is the top of the last quarter");
        assertTrue(PlanGenes.action(0.0) == Action.SKIP);
    }

    /** Repair to a depth limit, worked by hand: repeats become single runs first, then runs are skipped, lowest gene first. */
    @Test
    void aTooDeepPlanIsRepairedToTheDepthLimit() {
        Set<Integer> ends = Set.of(0, 11);
        // 0, 1x2, 2, 3x2, 4-10, 11: depth 1 + 2 + 1 + 2 + 7 + 1 = 14
        double[] g = genes("r2r2rrrrrrrr");
        assertEquals("0,1x2,2,3x2,4-11", PlanGenes.decode(T, g, ends, 0).orElseThrow().print());
        assertEquals(14, PlanGenes.decode(T, g, ends, 0).orElseThrow().depth());
        // limit 13: block 1's repeat (the lower of two equal genes) runs once
        assertEquals("0-2,3x2,4-11", PlanGenes.decodeWithin(T, g, ends, 0, 13).orElseThrow().print());
        // limit 11: both repeats run once (12), then block 1, the lowest run gene, is skipped
        assertEquals("0,2-11", PlanGenes.decodeWithin(T, g, ends, 0, 11).orElseThrow().print());
        // a parallel block is skipped after the run blocks: 0-3, P(4,6), 7-11 (depth 10) to depth 3 keeps 0, 6, 11
        double[] pg = genes("rrrrrsprrrrr");
        LayerPlan within = PlanGenes.decodeWithin(T, pg, ends, 0, 3).orElseThrow();
        assertTrue(within.depth() <= 3, within.print());
        assertEquals(Set.of(0, 6, 11), blocks(within), within.print());
        // a plan within the limit is unchanged; the fixed ends alone deeper than the limit: no plan
        assertEquals("0-4,8-11", PlanGenes.decodeWithin(T, genes("rrrrrsssrrrr"), ends, 0, 9).orElseThrow().print());
        assertTrue(PlanGenes.decodeWithin(T, g, ends, 0, 1).isEmpty());
    }

    private static Set<Integer> blocks(LayerPlan p) {
        Set<Integer> out = new HashSet<>();
        for (Step s : p.steps()) {
            if (s instanceof Step.Run r) {
                out.add(r.layer());
            } else if (s instanceof Step.Parallel q) {
                out.addAll(q.layers());
            } else {
                ((Step.Loop) s).body().forEach(b -> out.add(((Step.Run) b).layer()));
            }
        }
        return out;
    }
}
