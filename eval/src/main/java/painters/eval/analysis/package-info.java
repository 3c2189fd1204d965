/**
 * Hidden-state analyses: the paper's cosine-similarity matrix, ShortGPT's Block Influence and Gromov
 * et al.'s angular distance. Each is a streaming accumulator fed batch by batch (no dataset of
 * activations is held), with padding excluded.
 */
package painters.eval.analysis;
