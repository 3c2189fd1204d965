/**
 * Studies: a spec (model, tasks, variants x splits x seeds, options, and one kind with its settings: the frozen grid,
 * recovery, a sweep, a plan search or routers, see {@link painters.study.StudyKinds}) expanded into units, run with
 * progress on an engine, stored one row per (model, plan, task, seed, metric) with provenance in an append-only
 * JSONL file that a restarted run resumes from, then summarised as CSV, figures and a report.
 */
package painters.study;
