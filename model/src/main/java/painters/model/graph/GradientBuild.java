package painters.model.graph;

import java.io.OutputStream;
import java.io.PrintStream;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Builds a SameDiff graph's gradient function without its console noise: M2.1 prints every differentiated op to
 * {@code System.out} while it builds one, so the build runs with {@code System.out} swapped for a null stream. The
 * swap is process-wide, so every build in the process (a trainable graph's segments, a linear head) goes through this
 * one lock: two builds on two threads cannot save each other's null stream and leave the console silent for good.
 */
public final class GradientBuild {

    private static final Object LOCK = new Object();

    private GradientBuild() {}

    /** {@code sd.createGradFunction(inputs)}: the gradients of the graph's loss, and of the named placeholders. */
    public static void build(SameDiff sd, String... inputs) {
        quietly(() -> sd.createGradFunction(inputs));
    }

    /** Runs {@code run} with {@code System.out} silenced, under the one lock. */
    static void quietly(Runnable run) {
        synchronized (LOCK) {
            PrintStream out = System.out;
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try {
                run.run();
            } finally {
                System.setOut(out);
            }
        }
    }
}
