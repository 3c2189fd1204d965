package painters.model;

/**
 * A checkpoint, config or tokenizer file that cannot be used as it is. The message always names
 * the file and, where there is one, the tensor or key at fault.
 */
public class ModelFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
