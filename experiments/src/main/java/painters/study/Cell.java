package painters.study;

import java.io.Serializable;
import painters.model.plan.LayerPlan;
import painters.model.plan.Split;
import painters.results.ResultRow;

/**
 * One unit of a study: a plan (with the variant, split and seed it came from) scored on one task
 * with one head seed. Its {@link #key()} identifies it in the results file, so a resumed run skips it.
 *
 * @param variant  "full", a variant id, "skip-layer", "loop-grid" (Fig. 10) or "plan" (hand-written)
 * @param split    s, or null where none applies (the full model, single-layer and hand-written plans)
 * @param affected |M| (blocks affected), 0 for the full model, null for a hand-written plan
 * @param planSeed random-order seed, or null
 * @param layer    the block of a single-layer skip or switch, or null
 * @param loops    R of a looped-parallel plan, or null
 * @param plan     the plan
 * @param task     task name
 * @param headSeed seed of the head
 */
public record Cell(String variant, Integer split, Integer affected, Long planSeed, Integer layer, Integer loops, LayerPlan plan,
                   String task, long headSeed) implements Serializable {

    /** What keys and result rows write for a part that does not apply (the results file's format). */
    static final int NONE = -1;

    public String key() {
        // R is named only for loop-grid cells (looped-parallel cells of the main grid keep their key)
        return variant + "|s" + stored(split) + "|seed" + stored(planSeed) + "|L" + stored(layer)
                + (variant.equals("loop-grid") ? "|R" + stored(loops) : "") + "|" + plan.print() + "|" + task + "|h"
                + headSeed;
    }

    /** The plan part of this cell's result rows. */
    public ResultRow.PlanPart planPart() {
        return new ResultRow.PlanPart(plan.print(), variant, (int) stored(split), (int) stored(affected),
                stored(planSeed), (int) stored(layer), (int) stored(loops), plan.depth(), plan.applications());
    }

    /** The split this cell's plan was made at, for a model of T blocks, or null where none applies. */
    public Split split(int numLayers) {
        return split == null ? null : new Split(numLayers, split);
    }

    private static long stored(Number part) {
        return part == null ? NONE : part.longValue();
    }

    /** The same plan on another task (a recovery run's target). */
    public Cell onTask(String otherTask) {
        return new Cell(variant, split, affected, planSeed, layer, loops, plan, otherTask, headSeed);
    }

    /** Cells whose plans compute the same function, on the same task and head seed, have equal scores. */
    public String scoreKey() {
        return plan.computationKey() + "|" + task + "|h" + headSeed;
    }
}
