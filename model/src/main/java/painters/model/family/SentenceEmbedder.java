package painters.model.family;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import painters.model.UserInputException;
import painters.model.tokenizer.TokenBatch;

/** Sentence embeddings from an encoder: tokenize, run in batches, pool, optionally L2-normalise. */
public final class SentenceEmbedder {

    private final SentenceEncoder model;
    private final EncoderGraph encoder;
    private final int batchSize;

    public SentenceEmbedder(SentenceEncoder model, EncoderGraph encoder, int batchSize) {
        if (batchSize < 1) {
            throw new UserInputException("batchSize must be >= 1, got " + batchSize);
        }
        this.model = model;
        this.encoder = encoder;
        this.batchSize = batchSize;
    }

    /** {@code [texts, hidden]} embeddings. */
    public INDArray embed(List<String> texts) {
        INDArray[] parts = new INDArray[(texts.size() + batchSize - 1) / batchSize];
        for (int i = 0, p = 0; i < texts.size(); i += batchSize, p++) {
            TokenBatch batch = model.tokenizer().encode(texts.subList(i, Math.min(texts.size(), i + batchSize)));
            INDArray hidden = encoder.forward(batch);
            INDArray pooled = model.pooling().pool(hidden, batch.maskArray());
            parts[p] = model.normalize() ? Pooling.l2Normalize(pooled) : pooled;
        }
        return parts.length == 1 ? parts[0] : Nd4j.vstack(parts);
    }
}
