package painters.model.tokenizer;

/**
 * A decoder's tokenizer: text to ids without special tokens, ids back to text, and the special ids.
 * Implemented by {@link SentencePieceBpe} (sentencepiece {@code .model}, llama2.c {@code tok*.bin})
 * and {@link HfTextTokenizer} ({@code tokenizer.json}).
 */
public interface TextTokenizer extends AutoCloseable {

    /** Ids of {@code text}, no BOS/EOS added (sentencepiece's dummy-prefix space included). */
    int[] encode(String text);

    /** Text of {@code ids}; special tokens are dropped and a leading dummy-prefix space removed. */
    String decode(int[] ids);

    /** The piece (token string) of one id, for logs and tests. */
    String piece(int id);

    /** BOS id, or -1. */
    int bos();

    /** EOS id, or -1. */
    int eos();

    int vocabSize();

    /** Where it came from, for provenance and errors. */
    String source();

    @Override
    default void close() {}
}
