package painters.eval.task;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Skipped rows are counted (never silently dropped) and a single-class dev set is marked degenerate. */
class TaskDataQualityTest {

    static Path spec(Path dir, String dev, boolean skipBad) throws Exception {
        Files.writeString(dir.resolve("d.tsv"), dev);
        Path p = dir.resolve("t.json");
        Files.writeString(p, "{\"name\":\"t\",\"version\":1,\"kind\":\"classification\",\"format\":\"tsv\","
                + "\"splits\":{\"dev\":\"d.tsv\"},\"text\":[\"0\"],\"label\":\"1\",\"labels\":[\"a\",\"b\"],"
                + "\"metrics\":[\"accuracy\"],\"chance\":0.5,\"skipBadRows\":" + skipBad + "}");
        return p;
    }

    @Test
    void skippedRowsAreCountedWithWhereTheyWere(@TempDir Path dir) throws Exception {
        TaskData d = TaskData.load(TaskSpecs.load(spec(dir, "one\ta\ntwo\tb\nbroken row without a label\nthree\tz\n",
                true).toString(), null));
        assertEquals(2, d.eval().size());
        assertEquals(2, d.skipped().size(), d.skipped().toString());
        assertTrue(d.skipped().get(0).contains("d.tsv:3"), d.skipped().toString());
        assertFalse(d.degenerate());
    }

    @Test
    void aSingleClassDevSetIsDegenerate(@TempDir Path dir) throws Exception {
        TaskData d = TaskData.load(TaskSpecs.load(spec(dir, "one\ta\ntwo\ta\nthree\ta\n", false).toString(), null));
        assertTrue(d.degenerate(), "accuracy 1.0 for any model that predicts 'a'");
    }
}
