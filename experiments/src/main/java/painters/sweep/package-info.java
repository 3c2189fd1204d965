/**
 * Hyperparameter sweeps of recovery runs through Arbiter: Arbiter's parameter spaces, candidate
 * generators (grid, random) and termination conditions; the project's own runner, results store and
 * outputs (Arbiter's UI and storage predate DL4J M2.1).
 */
package painters.sweep;
