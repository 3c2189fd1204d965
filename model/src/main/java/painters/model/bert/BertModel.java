package painters.model.bert;

import painters.model.tokenizer.HfTokenizer;

/**
 * A loaded BERT-family checkpoint: everything an experiment needs to run it.
 *
 * @param id          a short name for results ("BAAI/bge-small-en-v1.5", or the path it came from)
 * @param weights     the pretrained tensors, validated against the config
 * @param tokenizer   its tokenizer
 * @param pooling     how sentence embeddings are read off the last hidden state
 * @param normalize   whether sentence embeddings are L2-normalised (the model card says so)
 * @param sha256      checksum of the weight file(s), for provenance
 * @param loadSeconds wall time of loading, for the log
 */
public record BertModel(String id, BertWeights weights, HfTokenizer tokenizer, Pooling pooling, boolean normalize,
                        String sha256, double loadSeconds) {

    public BertConfig config() {
        return weights.config();
    }

    /** The pretrained encoder graph (blocks 0..T-1). */
    public BertEncoder encoder() {
        return BertEncoder.of(weights);
    }
}
