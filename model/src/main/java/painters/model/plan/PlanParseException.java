package painters.model.plan;

import painters.model.UserInputException;

/** A plan text that cannot be parsed; the message quotes the text and points at the offending part. */
public final class PlanParseException extends UserInputException {

    private static final long serialVersionUID = 1L;

    private final String text;
    private final int position;

    public PlanParseException(String text, int position, String problem) {
        super("bad plan \"" + text + "\": " + problem + "\n  " + text + "\n  " + " ".repeat(Math.max(0, position)) + "^");
        this.text = text;
        this.position = position;
    }

    public String text() {
        return text;
    }

    /** Character offset of the problem in {@link #text()}. */
    public int position() {
        return position;
    }
}
