/**
 * Language-model evaluation with lm-evaluation-harness (v0.4) semantics: log-likelihood of a
 * continuation given a context (encode whole, split; the continuation carries the leading space),
 * multiple choice (acc, acc_norm), LAMBADA, rolling perplexity, and greedy generation with stop
 * strings (GSM8K). Tasks read the files in a data folder laid out as ../shared/data.
 */
package painters.eval.lm;
