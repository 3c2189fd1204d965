package painters.model.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/** Gradient functions built without M2.1's console noise, and the console given back whatever the threads do. */
class GradientBuildTest {

    @Test
    void aGradientFunctionIsBuiltAndNothingReachesTheConsole() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        try {
            SameDiff sd = SameDiff.create();
            SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 3);
            SDVariable w = sd.var("w", DataType.FLOAT, 3, 2);
            sd.setLossVariables(sd.mean("loss", x.mmul(w).mul(x.mmul(w))));
            GradientBuild.build(sd);
            assertNotNull(sd.getFunction("grad"), "the gradient function exists");
            System.out.println("after");
            assertSame(capture, System.out, "the console is given back");
        } finally {
            System.setOut(original);
        }
        assertEquals("after" + System.lineSeparator(), captured.toString(StandardCharsets.UTF_8),
                "only what was printed after the build reaches the console");
    }

    /** While one build is silenced, another thread's build waits: it cannot save the null stream as the console. */
    @Test
    void buildsOnTwoThreadsTakeTurns() throws Exception {
        PrintStream original = System.out;
        CountDownLatch aInside = new CountDownLatch(1);
        AtomicBoolean bRanWhileAInside = new AtomicBoolean();
        AtomicBoolean aInsideNow = new AtomicBoolean();
        Thread a = new Thread(() -> GradientBuild.quietly(() -> {
            aInsideNow.set(true);
            aInside.countDown();
            try {
                Thread.sleep(300);                       // time for b to get in, if nothing stopped it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            aInsideNow.set(false);
        }));
        Thread b = new Thread(() -> GradientBuild.quietly(() -> bRanWhileAInside.set(aInsideNow.get())));
        a.start();
        assertTrue(aInside.await(10, TimeUnit.SECONDS));
        b.start();
        a.join(10_000);
        b.join(10_000);
        assertFalse(bRanWhileAInside.get(), "the second build ran while the first held the console");
        assertSame(original, System.out, "the console is the one before both builds");
    }
}
