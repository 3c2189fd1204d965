package painters.model.family;

import java.nio.file.Path;
import java.util.List;
import painters.model.UserInputException;

/**
 * A family of pretrained transformers that share a block, a checkpoint layout and a tokenizer kind
 * (BERT-family encoders, Llama-family decoders). A family recognises its checkpoints and loads them;
 * everything a caller needs afterwards comes from the {@link LoadedModel} it returns, so no caller
 * asks which family it holds. Families register through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/painters.model.family.ModelFamily}); {@link ModelFamilies} chooses.
 */
public interface ModelFamily {

    /** Short name, recorded in results ("bert", "llama"). */
    String name();

    /** What a {@code --model} argument of this family looks like, for error messages. */
    String accepts();

    /**
     * Whether {@code model} (a {@code --model} argument) is a checkpoint of this family. Cheap: reads
     * at most a {@code config.json}, never weights.
     */
    boolean recognises(String model);

    /** Loads and validates the checkpoint; bad input is a {@link painters.model.ModelFormatException}. */
    LoadedModel load(String model);

    /**
     * Whether {@code model} is a checkpoint of this family or only its configuration: what
     * {@link #recognises} accepts, or a {@code config.json} (the file, or a directory holding it, with or
     * without weights) of this family.
     */
    boolean recognisesConfig(String model);

    /**
     * The architecture of {@code model} (a checkpoint or its config) without reading its weights where the
     * format allows: tensor shapes, dtype and activation counts, for memory plans.
     */
    Architecture architecture(String model);

    /**
     * What a layer plan does to the attributes this family binds to a block's position (e.g. Gemma 2's sliding
     * window on even layers), as sentences for reports: empty where the model binds none. Cheap: reads at most the
     * config.
     */
    default List<String> surgeryNotes(String model) {
        return List.of();
    }

    /**
     * Writes a checkpoint of this family, as its {@code config.json} at {@code configJson} describes it, with the weights
     * the family's HF code gives an untrained model (seeded), into {@code dir}: {@code config.json} and
     * {@code model.safetensors} in the family's names and layout (no tokenizer). A family that cannot is a one-line
     * error.
     */
    default void writeInitialised(Path configJson, Path dir, long seed) {
        throw new UserInputException(name() + " models cannot be initialised from a configuration here");
    }
}
