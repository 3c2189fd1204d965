package painters.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import painters.results.Results;
import painters.results.ResultsStore;

/**
 * Kills a real study process with SIGKILL part-way, restarts it, and checks that the results end
 * with every cell exactly once, and that the report and figures were written.
 */
class StudyResumeTest {

    @Test
    void aKilledStudyResumesWithEveryCellExactlyOnce(@TempDir Path dir) throws Exception {
        Path task = dir.resolve("wn-tiny.json");
        Files.writeString(task, """
                {"name": "wn-tiny", "version": 1, "kind": "classification", "format": "wordnet",
                 "splits": {"train": "train", "test": "test"}, "eval": "test",
                 "text": ["definition"], "label": "lexname",
                 "labels": ["noun.animal", "noun.food", "noun.plant", "noun.person"],
                 "metrics": ["accuracy"], "chance": 0.25,
                 "params": {"generator": "lexname", "seed": "1", "perClassTrain": "12", "perClassTest": "6"}}
                """);
        Path study = dir.resolve("tiny.json");
        Files.writeString(study, "{\"name\": \"tiny\", \"tasks\": [\"" + task + "\"], \"variants\": [\"skip\", "
                + "\"reverse\", \"random\"], \"splits\": [3, 4, 5], \"seeds\": 2, \"cossim\": false}");
        Path results = dir.resolve("results");
        Path jsonl = results.resolve("tiny").resolve(Results.FILE);
        int expectedCells = 1 + 3 * (2 + 2);

        // killed right after its 4th cell is on disk (a deterministic point, not a timed kill)
        Process first = start(study, results, dir.resolve("run1.log"), "-Dpainters.test.haltAfterCells=4");
        first.waitFor();
        assertEquals(137, first.exitValue(), Files.readString(dir.resolve("run1.log")));
        int afterKill = rows(jsonl);
        assertTrue(afterKill >= 4 && afterKill < expectedCells, "killed after " + afterKill + " rows");

        Process second = start(study, results, dir.resolve("run2.log"));
        second.waitFor();
        String log2 = Files.readString(dir.resolve("run2.log"));
        assertEquals(0, second.exitValue(), log2);
        assertTrue(log2.contains("resuming"), log2);

        Map<String, Integer> perCell = new HashMap<>();
        for (String r : ResultsStore.readRows(jsonl)) {
            perCell.merge(JsonParser.parseString(r).getAsJsonObject().get("cell").getAsString(), 1, Integer::sum);
        }
        assertEquals(expectedCells, perCell.size(), "every cell present");
        assertTrue(perCell.values().stream().allMatch(n -> n == 1), "every cell exactly once: " + perCell);
        assertTrue(Files.exists(results.resolve("tiny").resolve("report.md")));
        assertTrue(Files.exists(results.resolve("tiny").resolve("figures").resolve("main.png")));
        assertTrue(Files.exists(results.resolve("tiny").resolve("spec.resolved.json")));

        // a third run computes nothing and only redraws the outputs: the computing run's peaks stay the evidence
        Path memory = results.resolve("tiny").resolve(StudyRunner.MEMORY);
        String peaks = Files.readString(memory);
        assertTrue(JsonParser.parseString(peaks).getAsJsonObject().get("computed_cells").getAsInt() > 0, peaks);
        Process third = start(study, results, dir.resolve("run3.log"));
        third.waitFor();
        assertEquals(0, third.exitValue(), Files.readString(dir.resolve("run3.log")));
        assertEquals(peaks, Files.readString(memory), "memory.json of the computing run is kept");
    }

    static int rows(Path f) throws Exception {
        if (!Files.exists(f)) {
            return 0;
        }
        return (int) Files.readString(f).chars().filter(c -> c == '\n').count();
    }

    static Process start(Path study, Path results, Path log, String... jvmOptions) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx2g"));
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "painters.cli.Main", "study", study.toString(),
                "--results", results.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putIfAbsent("OMP_NUM_THREADS", "1");
        return pb.start();
    }

}
