package painters.study;

import java.io.Serializable;
import painters.model.plan.LayerPlan;
import painters.results.ResultRow;

/**
 * One unit of a study: a plan (with the variant, split and seed it came from) scored on one task
 * with one head seed. Its {@link #key()} identifies it in the results file, so a resumed run skips it.
 *
 * @param variant  "full", a variant id, "skip-layer", "loop-grid" (Fig. 10) or "plan" (hand-written)
 * @param split    s, or -1 where none applies
 * @param affected |M| (blocks affected), 0 for the full model
 * @param planSeed random-order seed, or -1
 * @param layer    the block of a single-layer skip, or -1
 * @param loops    R of a looped-parallel plan, or -1
 * @param plan     the plan
 * @param task     task name
 * @param headSeed seed of the head
 */
public record Cell(String variant, int split, int affected, long planSeed, int layer, int loops, LayerPlan plan,
                   String task, long headSeed) implements Serializable {

    public String key() {
        // R is named only for loop-grid cells (looped-parallel cells of the main grid keep their key)
        return variant + "|s" + split + "|seed" + planSeed + "|L" + layer + (variant.equals("loop-grid") ? "|R" + loops : "")
                + "|" + plan.print() + "|" + task + "|h" + headSeed;
    }

    /** The plan part of this cell's result rows. */
    public ResultRow.PlanPart planPart() {
        return new ResultRow.PlanPart(plan.print(), variant, split, affected, planSeed, layer, loops,
                plan.depth(), plan.applications());
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
