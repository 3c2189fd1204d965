package painters.model.graph;

import painters.model.UserInputException;

/**
 * How a step's gradients are computed: part of what identifies a fine-tuning run, since the methods agree
 * only up to float rounding. Recomputation keeps one executed step's activations alive (the default);
 * the whole graph at once keeps the plan's, for one forward pass less.
 */
public enum Gradients {
    RECOMPUTED, WHOLE;

    /** The settings' word: recompute or whole. */
    public String key() {
        return this == RECOMPUTED ? "recompute" : "whole";
    }

    /** What run identities and checkpoint fingerprints record. */
    public String label() {
        return this == RECOMPUTED ? "recomputed at each executed step" : "the whole graph at once";
    }

    public static Gradients parse(String key) {
        return switch (key) {
            case "recompute" -> RECOMPUTED;
            case "whole" -> WHOLE;
            default -> throw new UserInputException("gradients must be recompute or whole, got \"" + key + "\"");
        };
    }
}
