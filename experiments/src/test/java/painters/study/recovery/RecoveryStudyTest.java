package painters.study.recovery;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonParser;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import painters.results.Results;
import painters.results.ResultsStore;
import painters.study.StudyRunner;
import painters.study.StudySpec;
import painters.study.StudySpecs;

/** A tiny recovery study end to end: runs, rows, summary, figures, report, and a resumed run that computes nothing. */
class RecoveryStudyTest {

    @Test
    void aRecoveryStudyFineTunesEveryPlanAndWritesItsOutputs(@TempDir Path dir) throws Exception {
        Path task = dir.resolve("wn-tiny.json");
        Files.writeString(task, """
                {"name": "wn-tiny", "version": 1, "kind": "classification", "format": "wordnet",
                 "splits": {"train": "train", "test": "test"}, "eval": "test",
                 "text": ["definition"], "label": "lexname",
                 "labels": ["noun.animal", "noun.food", "noun.plant", "noun.person"],
                 "metrics": ["accuracy"], "chance": 0.25,
                 "params": {"generator": "lexname", "seed": "1", "perClassTrain": "8", "perClassTest": "6"}}
                """);
        StudySpec spec = StudySpecs.resolve(JsonParser.parseString("{\"name\": \"rec\", \"tasks\": [\"" + task
                + "\"], \"variants\": [\"skip\", \"middle-repeat\"], \"splits\": [4, 5], \"maxLength\": 32, \"cossim\": false, "
                + "\"finetune\": {\"policies\": [\"adjacent\"], \"steps\": 2, \"evalEvery\": 1, \"batchSize\": 8, "
                + "\"checkpointEvery\": 1, \"learningRate\": 1e-4}}").getAsJsonObject(), List.of(), "test");
        StudyRunner.Outcome o = StudyRunner.run(spec, dir.resolve("results"));
        // skip and middle-repeat at s=4 and s=5, plus the full model per split (adjacent is defined by the split)
        assertEquals(6, o.cells());
        assertEquals(6, o.computed());
        List<String> rows = ResultsStore.readRows(o.dir().resolve(Results.FILE));
        assertEquals(6 * 3, rows.size(), "3 evaluation points (steps 0, 1, 2) x 1 metric per run");
        String csv = Files.readString(o.dir().resolve("summary/recovery.csv"));
        assertEquals(7, csv.lines().count(), csv);
        assertTrue(Files.exists(o.dir().resolve("figures/a2_wn-tiny_adjacent.png")));
        assertTrue(Files.exists(o.dir().resolve("figures/frozen_vs_recovered_wn-tiny_adjacent.png")));
        assertTrue(Files.exists(o.dir().resolve("figures/recovery_wn-tiny_adjacent_s4.png")));
        String report = Files.readString(o.dir().resolve("report.md"));
        assertTrue(report.contains("## A.2") && report.contains("| wn-tiny | adjacent | skip |"), report);
        assertTrue(report.contains("| seeds |") && report.contains("vs control"), report);
        var mem = JsonParser.parseString(Files.readString(o.dir().resolve(StudyRunner.MEMORY)))
                .getAsJsonObject();
        assertTrue(mem.get("peak_offheap_bytes").getAsLong() > 100_000_000L, "BGE-small's weights alone are 133 MB: " + mem);
        assertTrue(mem.get("peak_heap_bytes").getAsLong() > 0);
        assertEquals(0, StudyRunner.run(spec, dir.resolve("results")).computed(), "resumed: nothing to redo");

        // a second seed extends the study: the first seed's runs are kept, a summary row per plan averages both
        StudySpec twice = StudySpecs.resolve(JsonParser.parseString(StudySpecs.toJson(spec)).getAsJsonObject(),
                List.of("--finetune.seeds=2"), "test");
        StudyRunner.Outcome o2 = StudyRunner.run(twice, dir.resolve("results"));
        assertEquals(12, o2.cells());
        assertEquals(6, o2.computed());
        var table = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(Files.readString(o.dir().resolve("summary/recovery.csv")))).getRecords();
        assertEquals(6, table.size());
        for (var r : table) {
            assertEquals("2", r.get("seeds"));
            assertTrue(Double.parseDouble(r.get("recovered_se")) > 0, r.toString());
            assertEquals(2, r.get("steps_to_recover_by_seed").split(" ").length, r.toString());
        }
    }
}
