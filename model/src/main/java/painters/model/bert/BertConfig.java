package painters.model.bert;

import java.util.Set;
import painters.model.UserInputException;

/**
 * Hyper-parameters of a BERT-family encoder (BERT, BGE, MiniLM, E5...). Built from a HF
 * {@code config.json} by {@link BertHfConfig}; every value is checked here.
 *
 * @param modelType             HF model_type, recorded for provenance
 * @param vocabSize             rows of the word-embedding table
 * @param hiddenSize            d, the width of the residual stream
 * @param numLayers             T, the number of blocks
 * @param numHeads              attention heads; must divide d
 * @param intermediateSize      width of the MLP
 * @param maxPositions          rows of the absolute position table
 * @param typeVocabSize         rows of the token-type table
 * @param layerNormEps          epsilon of every LayerNorm
 * @param hiddenAct             MLP activation; only exact erf GELU ("gelu") is implemented
 * @param positionEmbeddingType only "absolute" is implemented
 * @param padTokenId            id of the padding token
 */
public record BertConfig(
        String modelType,
        int vocabSize,
        int hiddenSize,
        int numLayers,
        int numHeads,
        int intermediateSize,
        int maxPositions,
        int typeVocabSize,
        double layerNormEps,
        String hiddenAct,
        String positionEmbeddingType,
        int padTokenId) {

    private static final Set<String> ACTIVATIONS = Set.of("gelu");

    public BertConfig {
        positive("vocab_size", vocabSize);
        positive("hidden_size", hiddenSize);
        positive("num_hidden_layers", numLayers);
        positive("num_attention_heads", numHeads);
        positive("intermediate_size", intermediateSize);
        positive("max_position_embeddings", maxPositions);
        positive("type_vocab_size", typeVocabSize);
        if (hiddenSize % numHeads != 0) {
            throw new UserInputException("hidden_size " + hiddenSize
                    + " is not divisible by num_attention_heads " + numHeads);
        }
        if (!(layerNormEps > 0 && layerNormEps < 1)) {
            throw new UserInputException("layer_norm_eps must be in (0, 1), got " + layerNormEps);
        }
        if (!ACTIVATIONS.contains(hiddenAct)) {
            throw new UserInputException("hidden_act \"" + hiddenAct + "\" is not supported (supported: "
                    + ACTIVATIONS + ")");
        }
        if (!"absolute".equals(positionEmbeddingType)) {
            throw new UserInputException("position_embedding_type \"" + positionEmbeddingType
                    + "\" is not supported (only \"absolute\")");
        }
        if (padTokenId < 0 || padTokenId >= vocabSize) {
            throw new UserInputException("pad_token_id " + padTokenId + " outside [0, " + vocabSize + ")");
        }
    }

    /** Width of one attention head. */
    public int headSize() {
        return hiddenSize / numHeads;
    }

    /** Parameters of the encoder (embeddings + blocks, no pooler). */
    public long parameterCount() {
        long d = hiddenSize;
        long emb = (long) (vocabSize + maxPositions + typeVocabSize) * d + 2 * d;
        long block = 4 * (d * d + d) + 2 * (d * intermediateSize) + intermediateSize + d + 4 * d;
        return emb + numLayers * block;
    }

    private static void positive(String key, int v) {
        if (v <= 0) {
            throw new UserInputException(key + " must be positive, got " + v);
        }
    }

    /** This configuration with {@code n} blocks (a plan's plain model). */
    public BertConfig withLayers(int n) {
        return new BertConfig(modelType, vocabSize, hiddenSize, n, numHeads, intermediateSize, maxPositions,
                typeVocabSize, layerNormEps, hiddenAct, positionEmbeddingType, padTokenId);
    }
}
