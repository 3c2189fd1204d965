/**
 * A plan search: Arbiter's genetic or random search over plans of the frozen model on validation views, the Pareto
 * fronts scored on test with latency, against the paper's variants chosen on validation.
 */
package painters.study.search;
