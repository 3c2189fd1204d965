/**
 * Layer plans: the experiment as a value. A {@link painters.model.plan.LayerPlan} says in which order
 * and combination the pretrained blocks run (run block i; run a set in parallel and average; loop a
 * sub-plan k times). Data only: the interpreter that builds SameDiff graphs from a plan lives with
 * the graphs ({@code painters.model.graph.PlanGraph}). The model itself is never changed.
 *
 * <p>Index convention (PAPER.md, following the authors' code): T blocks 0..T-1, split s gives
 * F = [0..s], M = [s+1..T-s-1], L = [T-s..T-1]; every variant changes M only.
 */
package painters.model.plan;
