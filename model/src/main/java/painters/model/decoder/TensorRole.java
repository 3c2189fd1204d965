package painters.model.decoder;

import painters.model.weights.Part;

/**
 * What a tensor does in a dense decoder, whatever its family calls it: a family's {@link TensorNames} maps the
 * roles its checkpoints have to their names. Block roles are per layer; the others occur once.
 */
public enum TensorRole {
    /** Token embedding {@code [vocab, d]}. */
    EMBED(false, Part.EMBEDDING),
    /** Learned position embedding {@code [positions, d]} (GPT-2). */
    POS_EMBED(false, Part.EMBEDDING),
    /** Norm before attention (scale; bias for LayerNorm). */
    ATTN_NORM(true, Part.NORM), ATTN_NORM_BIAS(true, Part.NORM),
    /** Norm on the attention output, inside the residual branch (Gemma 2, OLMo 2). */
    ATTN_POST_NORM(true, Part.NORM),
    /** Norm before the MLP (scale; bias for LayerNorm). */
    MLP_NORM(true, Part.NORM), MLP_NORM_BIAS(true, Part.NORM),
    /** Norm on the MLP output, inside the residual branch (Gemma 2, OLMo 2). */
    MLP_POST_NORM(true, Part.NORM),
    /** Separate projections and their biases. */
    Q(true, Part.Q), K(true, Part.K), V(true, Part.V), Q_BIAS(true, Part.Q), K_BIAS(true, Part.K), V_BIAS(true, Part.V),
    /** One fused q/k/v projection and its bias (Phi-3, GPT-NeoX, GPT-2). */
    QKV(true, Part.QKV), QKV_BIAS(true, Part.QKV),
    /** Norms on queries and keys before RoPE (Qwen3: per head; OLMo 2: over the whole projection). */
    Q_NORM(true, Part.NORM), K_NORM(true, Part.NORM),
    /** Attention output projection and its bias. */
    O(true, Part.O), O_BIAS(true, Part.O),
    /** MLP projections: gate and up (or fused gate_up, Phi-3), down; biases of a plain MLP. */
    GATE(true, Part.GATE), UP(true, Part.UP), GATE_UP(true, Part.GATE_UP), DOWN(true, Part.DOWN),
    UP_BIAS(true, Part.UP), DOWN_BIAS(true, Part.DOWN),
    /** Norm after the last block (scale; bias for LayerNorm). */
    FINAL_NORM(false, Part.FINAL_NORM), FINAL_NORM_BIAS(false, Part.FINAL_NORM),
    /** Untied output head {@code [vocab, d]}. */
    LM_HEAD(false, Part.LM_HEAD);

    private final boolean perLayer;
    private final Part part;

    TensorRole(boolean perLayer, Part part) {
        this.perLayer = perLayer;
        this.part = part;
    }

    /** Whether each block has its own tensor of this role (its name template holds {@code {i}}). */
    public boolean perLayer() {
        return perLayer;
    }

    /** The family-neutral part (unfreeze policies and LoRA targets select by it). */
    public Part part() {
        return part;
    }
}
