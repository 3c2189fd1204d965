package painters.model.decoder;

import static painters.model.decoder.TensorRole.*;

import painters.model.UserInputException;

/**
 * The switches in which dense decoder families differ, as data: one {@link DecoderBlocks} reads them, so a family
 * is a config mapping and a description rather than new block code. Which norms, biases and fused projections a
 * block has follows from the roles its {@link TensorNames} list (a pre-norm where {@code ATTN_NORM} is named, a
 * norm inside the residual branch where {@code ATTN_POST_NORM} is, q/k/v biases where {@code Q_BIAS} or
 * {@code QKV_BIAS} is, a gated MLP where {@code GATE} or {@code GATE_UP} is, learned positions where
 * {@code POS_EMBED} is); the rest is here.
 *
 * @param names            checkpoint tensor names per role
 * @param norm             RMSNorm ({@code w x / sqrt(mean(x^2) + eps)}) or LayerNorm with bias
 * @param normOffset       0, or 1 where the stored scale is an offset ({@code x_hat (1 + w)}, Gemma)
 * @param parallelResidual {@code y = x + attn(n1(x)) + mlp(n2(x))} (GPT-NeoX, GPT-J) instead of sequential
 * @param qkNormPerHead    with {@code Q_NORM}/{@code K_NORM}: normalise each head ({@code [headDim]}, Qwen3) rather
 *                         than the whole projection ({@code [heads * headDim]}, OLMo 2)
 * @param qkvPerHead       with a fused {@code QKV}: rows grouped per head ({@code [heads, 3, headDim]}, GPT-NeoX)
 *                         rather than q rows, then k rows, then v rows (Phi-3, GPT-2)
 * @param rotaryFraction   share of each head's dimensions RoPE rotates (its first ones; GPT-NeoX rotary_pct); 0
 *                         with learned positions
 * @param attnSoftcap      attention logit soft-cap {@code c tanh(s / c)} (Gemma 2), 0 for none
 * @param finalSoftcap     final logit soft-cap (Gemma 2), 0 for none
 * @param attnScale        the factor on {@code q k}: 0 for {@code 1/sqrt(headDim)}, else the value (Gemma 2's
 *                         {@code query_pre_attn_scalar^-1/2})
 * @param embedScale       factor on the token embeddings (Gemma: {@code sqrt(hidden)} in the weights' dtype), 1 for none
 * @param residualScale    the factor on the stream at each residual add ({@link painters.model.family.Residual}): 1 for every released
 *                         checkpoint; 0 removes the residual connections (each sub-layer's output replaces the stream)
 */
public record DecoderSpec(TensorNames names, Norm norm, double normOffset, boolean parallelResidual,
                          boolean qkNormPerHead, boolean qkvPerHead, double rotaryFraction, double attnSoftcap,
                          double finalSoftcap, double attnScale, double embedScale, double residualScale) {

    /** The norm a block uses. */
    public enum Norm { RMS, LAYER }

    public DecoderSpec {
        if (names == null || norm == null) {
            throw new UserInputException("decoder spec needs names and a norm");
        }
        for (TensorRole r : new TensorRole[] {EMBED, O, DOWN, FINAL_NORM}) {
            if (!names.has(r)) {
                throw new UserInputException("a decoder needs a " + r + " tensor");
            }
        }
        if (names.has(QKV) == (names.has(Q) || names.has(K) || names.has(V))) {
            throw new UserInputException("a decoder has either separate Q, K, V or one fused QKV");
        }
        if (names.has(GATE_UP) && (names.has(GATE) || names.has(UP))) {
            throw new UserInputException("a decoder has either GATE and UP or a fused GATE_UP");
        }
        if (!names.has(GATE_UP) && !names.has(UP)) {
            throw new UserInputException("a decoder needs an UP (or GATE_UP) tensor");
        }
        if (!(rotaryFraction >= 0 && rotaryFraction <= 1)) {
            throw new UserInputException("rotary fraction must be in [0, 1], got " + rotaryFraction);
        }
        if (rotaryFraction == 0 && !names.has(POS_EMBED)) {
            throw new UserInputException("a decoder without RoPE needs learned position embeddings");
        }
        if (attnSoftcap < 0 || finalSoftcap < 0 || attnScale < 0 || !(embedScale > 0)) {
            throw new UserInputException("soft-caps and scales must be >= 0 (embedding scale > 0)");
        }
        if (normOffset != 0 && normOffset != 1) {
            throw new UserInputException("norm offset is 0 or 1, got " + normOffset);
        }
        if (!(residualScale >= 0) || Double.isInfinite(residualScale)) {
            throw new UserInputException("residual scale must be a finite number >= 0, got " + residualScale);
        }
    }

    /** A family's switches with the standard residual connections (scale 1). */
    public DecoderSpec(TensorNames names, Norm norm, double normOffset, boolean parallelResidual, boolean qkNormPerHead,
                       boolean qkvPerHead, double rotaryFraction, double attnSoftcap, double finalSoftcap,
                       double attnScale, double embedScale) {
        this(names, norm, normOffset, parallelResidual, qkNormPerHead, qkvPerHead, rotaryFraction, attnSoftcap,
                finalSoftcap, attnScale, embedScale, 1);
    }

    /** These switches with another residual scale (a model trained here without, or with scaled, residuals). */
    public DecoderSpec withResidualScale(double scale) {
        return new DecoderSpec(names, norm, normOffset, parallelResidual, qkNormPerHead, qkvPerHead, rotaryFraction,
                attnSoftcap, finalSoftcap, attnScale, embedScale, scale);
    }

    /** Whether the MLP is gated ({@code act(gate x) * up x}). */
    public boolean gated() {
        return names.has(GATE) || names.has(GATE_UP);
    }

    /** Llama's checkpoint names (HF {@code LlamaForCausalLM}, {@code MistralForCausalLM}; bare names accepted). */
    public static TensorNames llamaNames() {
        return llamaStyle(false, false).build();
    }

    /**
     * The Llama layout that Qwen, Mistral, OLMo 2 and Phi-3 start from: {@code model.embed_tokens}, {@code
     * model.layers.{i}.self_attn.{q,k,v,o}_proj}, {@code mlp.{gate,up,down}_proj}, {@code input_layernorm} and
     * {@code post_attention_layernorm} as pre-norms, {@code model.norm}, {@code lm_head} (read unless the config
     * ties the head to the embedding); the
     * {@code rotary_emb.inv_freq} buffers of older files ignored.
     *
     * @param qkvBias  with {@code q/k/v_proj.bias} (Qwen2)
     * @param qkNorm   with {@code self_attn.q_norm/k_norm} (Qwen3, OLMo 2)
     */
    public static TensorNames.Builder llamaStyle(boolean qkvBias, boolean qkNorm) {
        String l = "model.layers.{i}.";
        TensorNames.Builder b = TensorNames.builder("model.")
                .role(EMBED, "model.embed_tokens.weight")
                .block(l, ATTN_NORM, "input_layernorm.weight", Q, "self_attn.q_proj.weight",
                        K, "self_attn.k_proj.weight", V, "self_attn.v_proj.weight", O, "self_attn.o_proj.weight",
                        MLP_NORM, "post_attention_layernorm.weight", GATE, "mlp.gate_proj.weight",
                        UP, "mlp.up_proj.weight", DOWN, "mlp.down_proj.weight")
                .role(FINAL_NORM, "model.norm.weight")
                .ignore("rotary_emb.inv_freq");
        if (qkvBias) {
            b.block(l, Q_BIAS, "self_attn.q_proj.bias", K_BIAS, "self_attn.k_proj.bias", V_BIAS, "self_attn.v_proj.bias");
        }
        if (qkNorm) {
            b.block(l, Q_NORM, "self_attn.q_norm.weight", K_NORM, "self_attn.k_norm.weight");
        }
        return b.role(LM_HEAD, "lm_head.weight");
    }

    /** A Llama-style decoder's switches: RMSNorm, SwiGLU, full RoPE, no caps, no scales. */
    public static DecoderSpec plain(TensorNames names) {
        return new DecoderSpec(names, Norm.RMS, 0, false, false, false, 1, 0, 0, 0, 1);
    }
}
