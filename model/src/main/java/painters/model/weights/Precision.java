package painters.model.weights;

import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import painters.model.UserInputException;

/**
 * A floating-point precision for weights and computation: {@code fp32}, {@code bf16} or {@code fp16}, with
 * its size and the names Hugging Face configs use for it ({@code torch_dtype}).
 */
public enum Precision {
    FP32(4, "float32"), BF16(2, "bfloat16"), FP16(2, "float16");

    private final int bytes;
    private final String torchName;

    Precision(int bytes, String torchName) {
        this.bytes = bytes;
        this.torchName = torchName;
    }

    public int bytes() {
        return bytes;
    }

    /** The {@code torch_dtype} spelling (float32, bfloat16, float16). */
    public String torchName() {
        return torchName;
    }

    /** The ND4J data type of arrays in this precision. */
    public DataType dataType() {
        return switch (this) {
            case FP32 -> DataType.FLOAT;
            case BF16 -> DataType.BFLOAT16;
            case FP16 -> DataType.FLOAT16;
        };
    }

    /** The precision of ND4J arrays of {@code t}; FLOAT for anything else. */
    public static Precision of(DataType t) {
        return t == DataType.BFLOAT16 ? BF16 : t == DataType.FLOAT16 ? FP16 : FP32;
    }

    /** Short name: fp32, bf16, fp16. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses fp32/float32/f32, bf16/bfloat16, fp16/float16/f16/half (any case, {@code torch.} prefix
     * allowed); anything else is an error naming the accepted values.
     */
    public static Precision parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (t.startsWith("torch.")) {
            t = t.substring("torch.".length());
        }
        return switch (t) {
            case "fp32", "float32", "f32", "float" -> FP32;
            case "bf16", "bfloat16" -> BF16;
            case "fp16", "float16", "f16", "half" -> FP16;
            default -> throw new UserInputException("unknown dtype \"" + text
                    + "\" (known: fp32, bf16, fp16; also float32, bfloat16, float16)");
        };
    }
}
