/**
 * Scoring a frozen encoder: pooled features under a layer plan, linear heads trained with SameDiff
 * on them (the paper's frozen-encoder protocol), seeded k-fold cross-validation, and the task
 * evaluator that ties them to task specs.
 */
package painters.eval.head;
