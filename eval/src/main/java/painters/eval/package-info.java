/**
 * Evaluation of frozen and recovered models: tasks as data, scoring heads, metrics and the paper's
 * normalisation (score - chance) / (full - chance). Filled by the encoder-evaluation work; today it
 * holds only what the foundation needs.
 */
package painters.eval;
