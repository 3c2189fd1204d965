package painters.eval.lm;

import java.util.List;
import java.util.function.BiPredicate;
import painters.model.UserInputException;
import painters.model.tokenizer.TextTokenizer;

/**
 * What the language-model tasks need from a model: its tokenizer, its context length, token-level
 * log-likelihoods and greedy generation. {@link DecoderLm} implements it over a SameDiff decoder and
 * a layer plan; tests implement it with hand-computable models.
 */
public interface LanguageModel {

    /**
     * One scoring request in tokens: the continuation is scored given the context.
     *
     * @param context      at least one token (lm-eval puts the prefix token there when the text is empty)
     * @param continuation at least one token
     */
    record TokenPair(int[] context, int[] continuation) {
        public TokenPair {
            if (context.length == 0 || continuation.length == 0) {
                throw new UserInputException("context and continuation need a token each, got "
                        + context.length + " and " + continuation.length);
            }
        }
    }

    /**
     * @param logProb sum of natural-log probabilities of the continuation tokens
     * @param greedy  whether every continuation token was the argmax at its position
     * @param tokens  continuation tokens scored
     */
    record LogLikelihood(double logProb, boolean greedy, int tokens) {}

    TextTokenizer tokenizer();

    /** Longest input the model reads in one call (positions). */
    int maxLength();

    /**
     * Scores every request. Inputs longer than {@link #maxLength()} keep their last tokens (the
     * context is truncated on the left, as lm-eval does).
     */
    List<LogLikelihood> loglikelihood(List<TokenPair> requests);

    /**
     * Greedy generation; {@code stop} is asked after each token with the row index and its tokens so
     * far. EOS ends a row too. Returns the generated tokens per row.
     */
    List<int[]> generate(List<int[]> prompts, int maxNewTokens, BiPredicate<Integer, int[]> stop);
}
