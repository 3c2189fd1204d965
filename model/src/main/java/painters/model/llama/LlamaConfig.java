package painters.model.llama;

import java.util.Set;

/**
 * Hyper-parameters of a Llama-family decoder (Llama 1/2/3, Mistral, TinyLlama, llama2.c models).
 * Built from a HF {@code config.json} by {@link LlamaHfConfig} or from a llama2.c
 * header by {@link Llama2cCheckpoint}; every value is checked here.
 *
 * @param modelType         HF model_type ("llama", "mistral"), recorded for provenance
 * @param vocabSize         rows of the token-embedding table
 * @param hiddenSize        d, the width of the residual stream
 * @param intermediateSize  width of the SwiGLU MLP
 * @param numLayers         T, the number of blocks
 * @param numHeads          query heads
 * @param numKvHeads        key/value heads (grouped-query attention); divides numHeads
 * @param headDim           width of one head (HF head_dim, default hidden/heads)
 * @param maxPositions      positions the RoPE tables cover
 * @param rmsNormEps        epsilon of every RMSNorm
 * @param rope              rotary embedding parameters
 * @param tieWordEmbeddings whether the output projection is the token-embedding table
 * @param hiddenAct         MLP activation; only "silu" is implemented
 * @param slidingWindow     Mistral's attention window (keys at distance >= window are masked); 0 = none
 * @param bosTokenId        id of the BOS token, or -1
 * @param eosTokenId        id of the EOS token, or -1
 */
public record LlamaConfig(
        String modelType,
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        int maxPositions,
        double rmsNormEps,
        Rope rope,
        boolean tieWordEmbeddings,
        String hiddenAct,
        int slidingWindow,
        int bosTokenId,
        int eosTokenId) {

    private static final Set<String> ACTIVATIONS = Set.of("silu");

    public LlamaConfig {
        positive("vocab_size", vocabSize);
        positive("hidden_size", hiddenSize);
        positive("intermediate_size", intermediateSize);
        positive("num_hidden_layers", numLayers);
        positive("num_attention_heads", numHeads);
        positive("num_key_value_heads", numKvHeads);
        positive("head_dim", headDim);
        positive("max_position_embeddings", maxPositions);
        if (numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads " + numHeads
                    + " is not a multiple of num_key_value_heads " + numKvHeads);
        }
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("head_dim must be even for rotary embeddings, got " + headDim);
        }
        if (!(rmsNormEps > 0 && rmsNormEps < 1)) {
            throw new IllegalArgumentException("rms_norm_eps must be in (0, 1), got " + rmsNormEps);
        }
        if (rope == null) {
            throw new IllegalArgumentException("rope parameters missing");
        }
        if (!ACTIVATIONS.contains(hiddenAct)) {
            throw new IllegalArgumentException("hidden_act \"" + hiddenAct + "\" is not supported (supported: "
                    + ACTIVATIONS + ")");
        }
        if (slidingWindow < 0) {
            throw new IllegalArgumentException("sliding_window must be >= 0, got " + slidingWindow);
        }
        for (int id : new int[] {bosTokenId, eosTokenId}) {
            if (id < -1 || id >= vocabSize) {
                throw new IllegalArgumentException("special token id " + id + " outside [0, " + vocabSize + ")");
            }
        }
    }

    /** Query heads that share one key/value head. */
    public int groupSize() {
        return numHeads / numKvHeads;
    }

    /** Width of the key and value projections. */
    public int kvDim() {
        return numKvHeads * headDim;
    }

    /** Width of the query projection. */
    public int qDim() {
        return numHeads * headDim;
    }

    /** Parameters of the decoder (embeddings, blocks, final norm, and an untied head if any). */
    public long parameterCount() {
        long d = hiddenSize;
        long block = d * qDim() + 2 * d * kvDim() + (long) qDim() * d + 3 * d * intermediateSize + 2 * d;
        long head = tieWordEmbeddings ? 0 : (long) vocabSize * d;
        return (long) vocabSize * d + numLayers * block + d + head;
    }

    private static void positive(String key, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(key + " must be positive, got " + v);
        }
    }
}
