package painters.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import painters.model.UserInputException;
import painters.study.SparkSettings;

/** What the driver reports when a share fails on an executor: the executor's own failure where it is the user's. */
class SparkFailureTest {

    @Test
    void theUsersMistakeKeepsItsTypeAndMessageThroughSparksWrapping() {
        UserInputException cause = new UserInputException("wn-lexname.csv:7: expected 2 columns, got 3");
        ExecutionException e = new ExecutionException(new SparkException("Job aborted due to stage failure: Task 0 in "
                + "stage 3.0 failed 1 times, most recent failure: ...", cause));
        assertSame(cause, SparkEngine.failure(e));
    }

    /** Negative control: an executor's bug (an ND4J precondition, a plain IllegalArgumentException) stays internal. */
    @Test
    void anyOtherFailureIsInternalWithTheExecutorsFirstLine() {
        ExecutionException e = new ExecutionException(new SparkException("Job aborted due to stage failure: boom\nmore",
                new IllegalArgumentException("Op [matmul] shapes do not match")));
        RuntimeException r = SparkEngine.failure(e);
        assertInstanceOf(IllegalStateException.class, r);
        assertEquals("spark engine: a share failed: Job aborted due to stage failure: boom", r.getMessage());
        assertTrue(!(r instanceof IllegalArgumentException));
    }

    /** A master Spark cannot start is the user's setting, in one line naming it. */
    @Test
    void aBadMasterIsNamed() {
        UserInputException e = Assertions.assertThrows(UserInputException.class,
                () -> SparkEngine.start(new SparkConf().setMaster("nonsense://x:1").setAppName("t")));
        assertTrue(e.getMessage().startsWith("spark.master \"nonsense://x:1\": Spark could not start"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    /** A local master runs without Spark's web UI (which binds on all interfaces); a study may still turn it on. */
    @Test
    void localRunsHaveNoWebUi() {
        SparkSettings local = new SparkSettings("local[2]", 1, "", "", 1, Map.of());
        assertEquals("false", SparkEngine.conf(local, "t").get("spark.ui.enabled"));
        SparkSettings asked = new SparkSettings("local[2]", 1, "", "", 1,
                Map.of("spark.ui.enabled", "true"));
        assertEquals("true", SparkEngine.conf(asked, "t").get("spark.ui.enabled"));
        SparkSettings cluster = new SparkSettings("spark://host:7077", 1, "", "", 1,
                Map.of());
        assertEquals("unset", SparkEngine.conf(cluster, "t").get("spark.ui.enabled", "unset"));
    }
}
