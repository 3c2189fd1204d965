package painters.model.family;

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
}
