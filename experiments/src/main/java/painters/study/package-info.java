/**
 * Studies, the core: a spec (model, tasks, variants x splits x seeds, options, and one kind with its settings, see
 * {@link painters.study.StudyKinds}) expanded into units, run with progress on an engine, stored one row per (model,
 * plan, task, seed, metric) with provenance in an append-only JSONL file that a restarted run resumes from, then
 * summarised by the kind's outputs. Each kind lives in a subpackage ({@code grid}, {@code recovery}, {@code sweep},
 * {@code search}, {@code router}) and registers itself through {@link painters.study.KindRegistration}; this package
 * names none of them.
 */
package painters.study;
