package painters.model.family;

/**
 * What a model family's output is read as, which decides how it is scored and fine-tuned (the
 * paper's protocols): the model answers, its callers do not ask for a family.
 */
public enum Readout {
    /**
     * Pooled sentence features (an encoder: CLS or mean pooling): tasks are scored by linear heads on
     * frozen features or zero-shot similarity; fine-tuning trains a task head with the unfrozen blocks.
     */
    SENTENCE_FEATURES,
    /**
     * A distribution over the next token (a decoder with an LM head): tasks are scored by
     * log-likelihood and generation; fine-tuning uses the causal language-modelling loss.
     */
    NEXT_TOKEN
}
