package painters.results;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsStoreTest {

    static List<ResultRow> rows(int n) {
        return IntStream.range(0, n).mapToObj(i -> ResultRowTest.frozen("m" + i, i)).toList();
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

    static String line(ResultRow r, String cell, int cellRows, String timestamp) {
        JsonObject o = r.toJson();
        o.addProperty("timestamp", timestamp);
        o.addProperty("cell", cell);
        o.addProperty("cell_rows", cellRows);
        return o + "\n";
    }

    @Test
    void aCellStoredTwiceByTwoRunsKeepsOneCopyAndTheFileIsBackedUp(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("results.jsonl");
        // what two runs of one study on one folder leave: cell a complete twice (other timestamps), b once,
        // and c interrupted (1 of 2 rows)
        String text = line(ResultRowTest.frozen("m0", 1), "a", 2, "t1") + line(ResultRowTest.frozen("m1", 2), "a", 2, "t1")
                + line(ResultRowTest.frozen("m0", 1), "a", 2, "t2") + line(ResultRowTest.frozen("m0", 5), "b", 1, "t2")
                + line(ResultRowTest.frozen("m1", 2), "a", 2, "t2") + line(ResultRowTest.frozen("m0", 3), "c", 2, "t2");
        Files.writeString(f, text);
        try (ResultsStore s = ResultsStore.open(f)) {
            assertTrue(s.isDone("a") && s.isDone("b"), "complete cells are never dropped");
            assertFalse(s.isDone("c"));
        }
        List<String> rows = ResultsStore.readRows(f);
        assertEquals(3, rows.size(), "one copy of a (2 rows) and b");
        assertEquals(2, rows.stream().filter(r -> r.contains("\"cell\":\"a\"")).count());
        try (var backups = Files.list(dir)) {
            Path backup = backups.filter(p -> p.getFileName().toString().startsWith("results.jsonl.bak-")).findFirst()
                    .orElseThrow();
            assertEquals(text, Files.readString(backup), "the file as it was, before the rewrite");
        }
    }

    @Test
    void copiesOfACellThatDisagreeStopTheRunAndChangeNothing(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("results.jsonl");
        String text = line(ResultRowTest.frozen("m0", 1), "a", 1, "t1") + line(ResultRowTest.frozen("m0", 2), "a", 1, "t2");
        Files.writeString(f, text);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResultsStore.open(f));
        assertTrue(e.getMessage().contains("cell \"a\"") && e.getMessage().contains("lines [1, 2]"), e.getMessage());
        assertEquals(text, Files.readString(f));
    }

    @Test
    void aSecondRunOfAStudyFolderIsRefusedNamingTheOwner(@TempDir Path dir) throws Exception {
        try (StudyLock held = StudyLock.acquire(dir)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StudyLock.acquire(dir));
            assertTrue(e.getMessage().contains("in use by another run") && e.getMessage().contains("PID "
                    + ProcessHandle.current().pid()), e.getMessage());
        }
        StudyLock.acquire(dir).close();      // released: the next run may take it
    }

    @Test
    void aChangedIdentityIsRefusedNamingWhatChanged(@TempDir Path dir) throws Exception {
        new RunIdentity(Map.of("model_sha256", "abc", "max_length", "128")).claim(dir, dir.resolve("r.jsonl"));
        RunIdentity now = new RunIdentity(Map.of("model_sha256", "abc", "max_length", "64"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> now.claim(dir, dir.resolve("r.jsonl")));
        assertTrue(e.getMessage().contains("max_length: was 128, now 64") && e.getMessage().contains("--name="),
                e.getMessage());
        new RunIdentity(Map.of("model_sha256", "abc", "max_length", "128", "new_key", "x"))
                .claim(dir, dir.resolve("r.jsonl"));     // keys an older identity lacks are not compared
    }
}
