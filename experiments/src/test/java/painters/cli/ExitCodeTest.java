package painters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import painters.model.ModelFormatException;
import painters.model.UserInputException;
import painters.model.plan.PlanParseException;
import painters.training.TrainingDivergedException;

/** Which failures are the user's (one line, exit 2) and which are ours (an internal error with a trace file, exit 3). */
class ExitCodeTest {

    @Test
    void theUsersMistakesAreOneLine() {
        assertEquals("bad key", Main.message(new UserInputException("bad key")));
        assertEquals("config.json: bad", Main.message(new ModelFormatException("config.json: bad")));
        assertEquals("bad plan \"0-\": x\n  0-\n  ^", Main.message(new PlanParseException("0-", 0, "x")));
        assertEquals("diverged", Main.message(new TrainingDivergedException("diverged")));
    }

    /** Negative control: the JDK's and ND4J's IllegalArgumentException are bugs, not the user's input. */
    @Test
    void otherIllegalArgumentExceptionsAreInternal() {
        assertNull(Main.message(new IllegalArgumentException("Input arrays must have the same shape")));
        assertNull(Main.message(new NumberFormatException("For input string: \"x\"")));
        assertNull(Main.message(new IllegalStateException("no")));
        assertNull(Main.message(new NullPointerException()));
    }
}
