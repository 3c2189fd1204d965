/**
 * What the figures of every study kind share: their look ({@link painters.study.figures.Charts}) and the Pareto front
 * of plans by cost and score ({@link painters.study.figures.Pareto}).
 */
package painters.study.figures;
