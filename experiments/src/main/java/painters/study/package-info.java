/**
 * Studies: a spec (model, tasks, variants x splits x seeds, options) expanded into cells, run with
 * progress, stored one row per (model, plan, task, seed, metric) with provenance in an append-only
 * JSONL file that a restarted run resumes from, then summarised as CSV, figures and a report.
 */
package painters.study;
