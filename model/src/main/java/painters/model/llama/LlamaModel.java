package painters.model.llama;

import painters.model.tokenizer.TextTokenizer;

/**
 * A loaded Llama-family checkpoint: everything an experiment needs to run it.
 *
 * @param id          a short name for results (the path it came from)
 * @param weights     the pretrained tensors, validated against the config
 * @param tokenizer   its tokenizer
 * @param sha256      checksum of the weight file(s), for provenance
 * @param loadSeconds wall time of loading, for the log
 */
public record LlamaModel(String id, LlamaWeights weights, TextTokenizer tokenizer, String sha256, double loadSeconds) {

    public LlamaConfig config() {
        return weights.config();
    }

    /** The pretrained decoder graph (blocks 0..T-1). */
    public LlamaDecoder decoder() {
        return LlamaDecoder.of(weights);
    }
}
