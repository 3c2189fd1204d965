package painters.model.family;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import painters.model.UserInputException;

/**
 * What a trainable graph trains, in canonical tensor names ({@link painters.model.weights.TensorLayout}).
 *
 * @param unfrozen    pretrained weights to train (untied copies of their blocks train too)
 * @param untie       give each further use of a repeated block its own copy
 * @param loraTargets weights that LoRA adapters wrap (empty: none); their base weights stay frozen
 * @param loraRank    r of the adapters
 * @param loraScale   alpha / r
 */
public record Unfreezing(Set<String> unfrozen, boolean untie, Set<String> loraTargets, int loraRank, double loraScale) {

    public Unfreezing {
        unfrozen = Collections.unmodifiableSet(new LinkedHashSet<>(unfrozen));        // order kept: graphs are built in it
        loraTargets = Collections.unmodifiableSet(new LinkedHashSet<>(loraTargets));
        if (!loraTargets.isEmpty() && untie) {
            throw new UserInputException("LoRA adapters and untied repeats together are not supported");
        }
        if (!loraTargets.isEmpty() && loraRank < 1) {
            throw new UserInputException("LoRA rank must be at least 1, got " + loraRank);
        }
    }

    /** Full weights of {@code unfrozen}, no adapters. */
    public static Unfreezing of(Set<String> unfrozen, boolean untie) {
        return new Unfreezing(unfrozen, untie, Set.of(), 0, 1);
    }
}
