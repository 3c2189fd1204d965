/**
 * A study's results as data, a leaf that imports nothing of studies, their kinds or the CLI (a test
 * enforces it): the typed result row every study kind writes ({@link painters.results.ResultRow}: a
 * frozen score, a point of a fine-tuning curve, a sweep candidate's, with optional parts), its
 * provenance, the append-only store with resume ({@link painters.results.ResultsStore}) and the reader
 * the summaries use ({@link painters.results.Results}).
 */
package painters.results;
