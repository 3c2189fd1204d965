/**
 * Recovery: every plan fine-tuned under each unfreezing policy and seed, its curves, the recovery summary with errors
 * from the seeds and the items, figures and report.
 */
package painters.study.recovery;
