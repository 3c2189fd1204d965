package painters.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsStoreTest {

    static List<ResultRow> rows(int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> ResultRowTest.frozen("m" + i, i)).toList();
    }

    @Test
    void cellsSurviveAReopen(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("results.jsonl");
        try (ResultsStore s = ResultsStore.open(f)) {
            s.append("a", rows(2));
            s.append("b", rows(1));
        }
        try (ResultsStore s = ResultsStore.open(f)) {
            assertTrue(s.isDone("a") && s.isDone("b"));
            assertFalse(s.isDone("c"));
            assertEquals(2, s.doneCount());
        }
        assertEquals(3, ResultsStore.readRows(f).size());
    }

    @Test
    void aPartialLineAndAnIncompleteCellAreDroppedOnOpen(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("results.jsonl");
        try (ResultsStore s = ResultsStore.open(f)) {
            s.append("a", rows(2));
        }
        // what a kill in the middle of writing cell b (3 rows) could leave: one full row and half of another
        Files.writeString(f, ResultRowTest.frozen("m0", 0).toJson().toString().replace("}", ",\"cell\":\"b\",\"cell_rows\":3}")
                + "\n{\"metric\":\"m1\",\"ce",
                StandardOpenOption.APPEND);
        try (ResultsStore s = ResultsStore.open(f)) {
            assertTrue(s.isDone("a"));
            assertFalse(s.isDone("b"));
            s.append("b", rows(3));
        }
        List<String> all = ResultsStore.readRows(f);
        assertEquals(5, all.size(), "a's 2 rows and b's 3 rows, once each");
        assertEquals(3, all.stream().filter(r -> r.contains("\"cell\":\"b\"")).count());
    }
}
