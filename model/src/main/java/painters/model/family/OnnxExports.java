package painters.model.family;

import java.nio.file.Path;
import java.util.List;
import onnx.Onnx;

/**
 * What a family whose checkpoints come as ONNX exports offers the ONNX Runtime reference ({@code painters verify},
 * {@code bench forward}): the model read from an export, the same model with its weights from a HF directory, and
 * the export's block-boundary states. {@link ModelFamilies#onnxExports()} finds the family that has it.
 */
public interface OnnxExports {

    /** The model in {@code onnx}, tokenized by {@code tokenizer}; its config from {@code config}, or inferred when null. */
    SentenceEncoder fromOnnx(Path onnx, Path tokenizer, Path config);

    /**
     * {@code like} with its weights read from the HF safetensors directory {@code hf} (the directory's
     * {@code config.json} if it has one, else {@code like}'s configuration).
     */
    SentenceEncoder withWeightsFrom(SentenceEncoder like, Path hf);

    /** The embedded default model's ONNX export. */
    Onnx.ModelProto defaultExport();

    /**
     * The export's values that hold the embeddings and each block's output, in order ({@code numLayers + 1}
     * names; the last block's output is {@code last_hidden_state}); {@code source} names the export in errors.
     */
    List<String> stateNames(Onnx.ModelProto export, int numLayers, String source);

    /** The export with {@code names} added as graph outputs. */
    Onnx.ModelProto withOutputs(Onnx.ModelProto export, List<String> names);
}
