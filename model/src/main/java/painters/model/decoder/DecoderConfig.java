package painters.model.decoder;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import painters.model.UserInputException;
import painters.model.family.Architecture;
import painters.model.weights.TensorSpec;

/**
 * Hyper-parameters of a dense decoder, whatever its family (Llama 1-3, Mistral, Qwen2/3, Gemma 1/2, Phi-3,
 * GPT-NeoX, GPT-2, OLMo 2, llama2.c models), with the family's architecture switches ({@link DecoderSpec}).
 * Built from a HF {@code config.json} by the family's config mapping or from a llama2.c header; every value is
 * checked here.
 *
 * @param modelType         HF model_type ("llama", "qwen2", ...), recorded for provenance
 * @param vocabSize         rows of the token-embedding table
 * @param hiddenSize        d, the width of the residual stream
 * @param intermediateSize  width of the MLP
 * @param numLayers         T, the number of blocks
 * @param numHeads          query heads
 * @param numKvHeads        key/value heads (grouped-query attention); divides numHeads
 * @param headDim           width of one head (HF head_dim, default hidden/heads)
 * @param maxPositions      positions the RoPE tables (or the learned position table) cover
 * @param normEps           epsilon of every norm
 * @param rope              rotary embedding parameters (unused with learned positions)
 * @param tieWordEmbeddings whether the output projection is the token-embedding table
 * @param hiddenAct         MLP activation: "silu", "gelu" (exact, erf) or "gelu_tanh" (the tanh approximation)
 * @param slidingWindow     attention window of the windowed layers (keys at distance >= window are masked); 0 = none
 * @param bosTokenId        id of the BOS token, or -1
 * @param eosTokenId        id of the EOS token, or -1
 * @param spec              the family's architecture switches
 * @param localLayers       which blocks use the sliding window, per block (empty: every block when
 *                          {@code slidingWindow > 0}). A block keeps its window wherever a plan runs it.
 */
public record DecoderConfig(
        String modelType,
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        int maxPositions,
        double normEps,
        Rope rope,
        boolean tieWordEmbeddings,
        String hiddenAct,
        int slidingWindow,
        int bosTokenId,
        int eosTokenId,
        DecoderSpec spec,
        List<Boolean> localLayers) {

    private static final Set<String> ACTIVATIONS = Set.of("silu", "gelu", "gelu_tanh");

    public DecoderConfig {
        positive("vocab_size", vocabSize);
        positive("hidden_size", hiddenSize);
        positive("intermediate_size", intermediateSize);
        positive("num_hidden_layers", numLayers);
        positive("num_attention_heads", numHeads);
        positive("num_key_value_heads", numKvHeads);
        positive("head_dim", headDim);
        positive("max_position_embeddings", maxPositions);
        if (numHeads % numKvHeads != 0) {
            throw new UserInputException("num_attention_heads " + numHeads
                    + " is not a multiple of num_key_value_heads " + numKvHeads);
        }
        if (spec == null) {
            throw new UserInputException("architecture switches missing");
        }
        if (spec.rotaryFraction() > 0 && rotaryDims(headDim, spec.rotaryFraction()) % 2 != 0) {
            throw new UserInputException("rotary dimensions must be even, got " + rotaryDims(headDim,
                    spec.rotaryFraction()) + " of head_dim " + headDim);
        }
        if (!(normEps > 0 && normEps < 1)) {
            throw new UserInputException("norm eps must be in (0, 1), got " + normEps);
        }
        if (rope == null) {
            throw new UserInputException("rope parameters missing");
        }
        if (!ACTIVATIONS.contains(hiddenAct)) {
            throw new UserInputException("hidden_act \"" + hiddenAct + "\" is not supported (supported: "
                    + new TreeSet<>(ACTIVATIONS) + ")");
        }
        if (slidingWindow < 0) {
            throw new UserInputException("sliding_window must be >= 0, got " + slidingWindow);
        }
        localLayers = List.copyOf(localLayers);
        if (!localLayers.isEmpty() && localLayers.size() != numLayers) {
            throw new UserInputException("a window flag per layer: " + localLayers.size() + " for " + numLayers
                    + " layers");
        }
        for (int id : new int[] {bosTokenId, eosTokenId}) {
            if (id < -1 || id >= vocabSize) {
                throw new UserInputException("special token id " + id + " outside [0, " + vocabSize + ")");
            }
        }
    }

    /** A Llama-architecture config (every block windowed when {@code slidingWindow > 0}, Mistral). */
    public DecoderConfig(String modelType, int vocabSize, int hiddenSize, int intermediateSize, int numLayers,
                         int numHeads, int numKvHeads, int headDim, int maxPositions, double normEps, Rope rope,
                         boolean tieWordEmbeddings, String hiddenAct, int slidingWindow, int bosTokenId, int eosTokenId) {
        this(modelType, vocabSize, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads, headDim, maxPositions,
                normEps, rope, tieWordEmbeddings, hiddenAct, slidingWindow, bosTokenId, eosTokenId,
                DecoderSpec.plain(DecoderSpec.llamaNames()), List.of());
    }

    /** This config with other BOS/EOS ids (a {@code generation_config.json}'s). */
    public DecoderConfig withSpecialTokens(int bos, int eos) {
        return new DecoderConfig(modelType, vocabSize, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads,
                headDim, maxPositions, normEps, rope, tieWordEmbeddings, hiddenAct, slidingWindow, bos, eos, spec,
                localLayers);
    }

    /** This config with other switches (a negative control's wrong architecture, a test's variant). */
    public DecoderConfig withSpec(DecoderSpec s, String act) {
        return new DecoderConfig(modelType, vocabSize, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads,
                headDim, maxPositions, normEps, rope, tieWordEmbeddings, act, slidingWindow, bosTokenId, eosTokenId, s,
                localLayers);
    }

    /**
     * This configuration with {@code n} blocks (a plan's plain model); refused where blocks differ in their attention
     * window, since a plain model's windows follow its own block indices, not the plan's.
     */
    public DecoderConfig withLayers(int n) {
        if (mixedWindows()) {
            throw new UserInputException(modelType + ": its blocks differ in their attention window, which a plain model of "
                    + n + " blocks would assign by its own block indices, not as the plan runs them");
        }
        List<Boolean> local = localLayers.isEmpty() ? List.of() : Collections.nCopies(n, localLayers.get(0));
        return new DecoderConfig(modelType, vocabSize, hiddenSize, intermediateSize, n, numHeads, numKvHeads, headDim,
                maxPositions, normEps, rope, tieWordEmbeddings, hiddenAct, slidingWindow, bosTokenId, eosTokenId, spec,
                local);
    }

    /** The attention window of block {@code layer}: {@link #slidingWindow} where it is windowed, else 0. */
    public int window(int layer) {
        return localLayers.isEmpty() || localLayers.get(layer) ? slidingWindow : 0;
    }

    /** Whether some blocks are windowed and others not (two attention masks per batch). */
    public boolean mixedWindows() {
        return slidingWindow > 0 && localLayers.contains(Boolean.TRUE) && localLayers.contains(Boolean.FALSE);
    }

    /** Parameters of the decoder: every tensor its checkpoint holds ({@link DecoderTensors#layout}). */
    public long parameterCount() {
        long n = 0;
        for (TensorSpec t : DecoderTensors.layout(this).all()) {
            n += Architecture.elements(t);
        }
        return n;
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

    /** Dimensions of each head that RoPE rotates (its first ones); 0 with learned positions. */
    public int rotaryDims() {
        return rotaryDims(headDim, spec.rotaryFraction());
    }

    private static int rotaryDims(int headDim, double fraction) {
        return (int) (headDim * fraction);
    }

    private static void positive(String key, int v) {
        if (v <= 0) {
            throw new UserInputException(key + " must be positive, got " + v);
        }
    }
}
