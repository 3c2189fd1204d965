package painters.model.weights;

import painters.model.UserInputException;

/**
 * What a pretrained tensor is, in words every model family shares: callers (unfreeze policies, LoRA
 * targets) select tensors by part and block, never by parsing a family's tensor names.
 */
public enum Part {
    /** Token, position and token-type tables and the norm right after them (never trained: see STACK.md). */
    EMBEDDING(null),
    /** Query, key, value and attention-output projections (weights and biases). */
    Q("q"), K("k"), V("v"), O("o"),
    /** A fused query/key/value projection (Phi-3, GPT-NeoX, GPT-2): what an adapter on q, k or v wraps there. */
    QKV(null),
    /** Feed-forward projections: gate (SwiGLU only), up (into the wide layer), down (back to the stream). */
    GATE("gate"), UP("up"), DOWN("down"),
    /** A fused gate/up projection (Phi-3): what an adapter on gate or up wraps there. */
    GATE_UP(null),
    /** A norm inside a block. */
    NORM(null),
    /** The norm after the last block. */
    FINAL_NORM(null),
    /** The output projection to the vocabulary (a decoder's untied LM head). */
    LM_HEAD(null);

    private final String adapterName;

    Part(String adapterName) {
        this.adapterName = adapterName;
    }

    /** The name a LoRA target list uses for this part ("q", "up", ...), or null for parts without one. */
    public String adapterName() {
        return adapterName;
    }

    /**
     * Whether a tensor of this part holds {@code p}'s projection: itself, or a fused tensor that contains it
     * ({@code QKV} holds q, k and v; {@code GATE_UP} holds gate and up).
     */
    public boolean holds(Part p) {
        return this == p || (this == QKV && (p == Q || p == K || p == V)) || (this == GATE_UP && (p == GATE || p == UP));
    }

    /** The part a LoRA target name stands for; unknown names are errors listing the known ones. */
    public static Part ofAdapterName(String name) {
        for (Part p : values()) {
            if (name.equals(p.adapterName)) {
                return p;
            }
        }
        throw new UserInputException("unknown LoRA target \"" + name + "\" (known: q, k, v, o, gate, up, down)");
    }
}
