package painters.model.family;

import painters.model.UserInputException;

/**
 * How many activation values one block application of a family's block produces per token, counted from
 * the block's operations (each family counts its own block). A memory plan multiplies these by batch,
 * sequence length, block applications and bytes per value.
 *
 * <p>A block keeps {@code savedPerToken + savedPerTokenPerPosition * seq} values per token for the backward
 * pass: every intermediate of the forward (inputs of norms and projections, projection outputs, attention
 * scores and probabilities, MLP activations, residual sums), as an autodiff graph without recomputation
 * keeps them. A frozen forward holds one block's intermediates at a time, plus the residual stream.
 *
 * @param savedPerToken            values per token independent of the sequence length
 * @param savedPerTokenPerPosition values per token per key position (attention scores and probabilities:
 *                                 2 x heads)
 * @param cachePerToken            key/value cache values per token per block application when generating
 *                                 (2 x key/value width); 0 for a family that does not generate
 * @param outputPerToken           values per token after the blocks: the logits of a language model
 *                                 (vocabulary size), the final state of an encoder (hidden size)
 * @param residualPerToken         the width of the residual stream (hidden size)
 */
public record ActivationCounts(long savedPerToken, long savedPerTokenPerPosition, long cachePerToken,
        long outputPerToken, long residualPerToken) {

    public ActivationCounts {
        if (savedPerToken < 0 || savedPerTokenPerPosition < 0 || cachePerToken < 0 || outputPerToken < 0
                || residualPerToken <= 0) {
            throw new UserInputException("activation counts must be >= 0 (residual > 0)");
        }
    }

    /** Values one block application keeps per token at sequence length {@code seq}. */
    public long savedPerToken(int seq) {
        return savedPerToken + savedPerTokenPerPosition * seq;
    }
}
