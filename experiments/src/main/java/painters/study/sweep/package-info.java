/**
 * A sweep of recovery runs: Arbiter's generators over fine-tuning settings per plan, the best settings per plan,
 * figures and report.
 */
package painters.study.sweep;
