/** Scores: accuracy, F1, Matthews correlation, Pearson, Spearman, and the paper's normalisation. */
package painters.eval.metric;
