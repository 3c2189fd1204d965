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
                cells.add(new Cell("full", null, 0, null, null, null, LayerPlan.identity(numLayers), task, h));
                if (h == spec.headSeeds().get(0)) {
                    // the head's seed noise: the full model under further head seeds (not otherwise in the study)
                    for (long extra = h + 1; extra < h + spec.seedSpread(); extra++) {
                        if (!spec.headSeeds().contains(extra)) {
                            cells.add(new Cell(SEED_SPREAD, null, 0, null, null, null, LayerPlan.identity(numLayers), task,
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
                                cells.add(new Cell(v.id(), s, sp.affected(), seed, null, null,
                                        v.plan(sp, seed, spec.loops()), task, h));
                            }
                        } else {
                            int k = v == Variant.REPEAT_IN_PLACE ? Math.max(2, spec.loops()) : spec.loops();
                            cells.add(new Cell(v.id(), s, sp.affected(), null, null,
                                    v == Variant.LOOPED_PARALLEL ? k : null, v.plan(sp, 0, k), task, h));
                        }
                    }
                }
                for (int r = 1; r <= spec.loopGrid(); r++) {
                    for (int s : splits) {
                        Split sp = new Split(numLayers, s);
                        cells.add(new Cell("loop-grid", s, sp.affected(), null, null, r,
                                Variant.LOOPED_PARALLEL.plan(sp, 0, r), task, h));
                    }
                }
                if (spec.singleLayer()) {
                    for (int n = 0; n < numLayers; n++) {
                        cells.add(new Cell("skip-layer", null, 1, null, n, null, Variant.skipLayer(numLayers, n), task, h));
                    }
                    for (int n = 0; n + 1 < numLayers; n++) {
                        cells.add(new Cell("switch-layer", null, 2, null, n, null, Variant.switchNeighbours(numLayers, n), task,
                                h));
                    }
                }
                for (String p : spec.plans()) {
                    LayerPlan plan = LayerPlan.parse(p, numLayers).checkSize();
                    cells.add(new Cell("plan", null, null, plan.seed().isPresent() ? plan.seed().getAsLong() : null, null, null, plan, task, h));
                }
            }
        }
        return cells;
    }
}
