package painters.study;

import java.util.ArrayList;
import java.util.List;
import painters.model.plan.LayerPlan;
import painters.model.plan.Split;
import painters.model.plan.Variant;

/** Expands a study spec into its cells: the full model, variants x splits (x seeds for random), extras. */
public final class StudyCells {

    /** The variant of the full model's cells scored with further head seeds (study key seedSpread). */
    public static final String SEED_SPREAD = "full-seed";

    private StudyCells() {}

    public static List<Cell> of(StudySpec spec, int numLayers) {
        List<Integer> splits = spec.splits().isEmpty()
                ? Split.all(numLayers).stream().map(Split::s).toList() : spec.splits();
        List<Cell> cells = new ArrayList<>();
        for (long h : spec.headSeeds()) {
            for (String task : spec.tasks()) {
                cells.add(new Cell("full", -1, 0, -1, -1, -1, LayerPlan.identity(numLayers), task, h));
                if (h == spec.headSeeds().get(0)) {
                    // the head's seed noise: the full model under further head seeds (not otherwise in the study)
                    for (long extra = h + 1; extra < h + spec.seedSpread(); extra++) {
                        if (!spec.headSeeds().contains(extra)) {
                            cells.add(new Cell(SEED_SPREAD, -1, 0, -1, -1, -1, LayerPlan.identity(numLayers), task,
                                    extra));
                        }
                    }
                }
                for (String vid : spec.variants()) {
                    Variant v = Variant.parse(vid);
                    for (int s : splits) {
                        Split sp = new Split(numLayers, s);
                        if (v == Variant.RANDOM) {
                            for (long seed = 0; seed < spec.seeds(); seed++) {
                                cells.add(new Cell(v.id(), s, sp.affected(), seed, -1, -1,
                                        v.plan(sp, seed, spec.loops()), task, h));
                            }
                        } else {
                            int k = v == Variant.REPEAT_IN_PLACE ? Math.max(2, spec.loops()) : spec.loops();
                            cells.add(new Cell(v.id(), s, sp.affected(), -1, -1,
                                    v == Variant.LOOPED_PARALLEL ? k : -1, v.plan(sp, 0, k), task, h));
                        }
                    }
                }
                for (int r = 1; r <= spec.loopGrid(); r++) {
                    for (int s : splits) {
                        Split sp = new Split(numLayers, s);
                        cells.add(new Cell("loop-grid", s, sp.affected(), -1, -1, r,
                                Variant.LOOPED_PARALLEL.plan(sp, 0, r), task, h));
                    }
                }
                if (spec.singleLayer()) {
                    for (int n = 0; n < numLayers; n++) {
                        cells.add(new Cell("skip-layer", -1, 1, -1, n, -1, Variant.skipLayer(numLayers, n), task, h));
                    }
                    for (int n = 0; n + 1 < numLayers; n++) {
                        cells.add(new Cell("switch-layer", -1, 2, -1, n, -1, Variant.switchNeighbours(numLayers, n), task,
                                h));
                    }
                }
                for (String p : spec.plans()) {
                    LayerPlan plan = LayerPlan.parse(p, numLayers).checkSize();
                    cells.add(new Cell("plan", -1, -1, plan.seed().orElse(-1), -1, -1, plan, task, h));
                }
            }
        }
        return cells;
    }
}
