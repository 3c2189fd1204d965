package painters.model;

/**
 * Input a user gave is wrong (a flag, a key of a study file, a plan, a checkpoint, a data file): its message is the
 * one line the command prints (exit 2), naming the file, line, key, flag or tensor. Thrown where input is validated;
 * an {@link IllegalArgumentException} of any other type (the JDK's, ND4J's preconditions) is an internal error.
 */
public class UserInputException extends IllegalArgumentException {

    public UserInputException(String message) {
        super(message);
    }

    public UserInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
