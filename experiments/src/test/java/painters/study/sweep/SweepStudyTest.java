package painters.study.sweep;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import painters.model.UserInputException;
import painters.results.Results;
import painters.results.ResultsStore;
import painters.study.StudyRunner;
import painters.study.StudySpec;
import painters.study.StudySpecs;
import painters.study.finetune.FineTuning;

/**
 * A tiny sweep end to end: candidates on validation, an impossible one recorded and skipped, the best on test, outputs,
 * and a resume that redoes nothing.
 */
class SweepStudyTest {

    @Test
    void aSweepRunsItsCandidatesAndWritesTheBestAsAStudy(@TempDir Path dir) throws Exception {
        Path task = dir.resolve("wn-tiny.json");
        Files.writeString(task, """
                {"name": "wn-tiny", "version": 1, "kind": "classification", "format": "wordnet",
                 "splits": {"train": "train", "test": "test"}, "eval": "test",
                 "text": ["definition"], "label": "lexname",
                 "labels": ["noun.animal", "noun.food", "noun.plant", "noun.person"],
                 "metrics": ["accuracy"], "chance": 0.25,
                 "params": {"generator": "lexname", "seed": "1", "perClassTrain": "10", "perClassTest": "6"}}
                """);
        StudySpec spec = StudySpecs.resolve(JsonParser.parseString("{\"name\": \"sw\", \"tasks\": [\"" + task
                + "\"], \"variants\": [\"skip\"], \"splits\": [5], \"maxLength\": 32, \"cossim\": false, "
                + "\"finetune\": {\"policies\": [\"head\"], \"steps\": 1, \"evalEvery\": 1, \"batchSize\": 8}, "
                + "\"sweep\": {\"space\": {\"policy\": [\"head\", \"middle\", \"adjacent\"]}, \"validation\": 0.25}}")
                .getAsJsonObject(),
                List.of(), "test");
        // a swept split the model cannot have is refused before any candidate trains (no results file written)
        StudySpec badSplit = StudySpecs.resolve(JsonParser.parseString("{\"name\": \"sw-bad\", \"tasks\": [\"" + task
                + "\"], \"variants\": [\"skip\"], \"maxLength\": 32, \"cossim\": false, \"finetune\": {\"policies\": "
                + "[\"head\"], \"steps\": 1, \"evalEvery\": 1, \"batchSize\": 8}, \"sweep\": {\"space\": {\"split\": [2, 9]}, "
                + "\"validation\": 0.25}}").getAsJsonObject(), List.of(), "test");
        IllegalArgumentException bad = Assertions.assertThrows(
                UserInputException.class, () -> StudyRunner.run(badSplit, dir.resolve("results")));
        assertTrue(bad.getMessage().startsWith("sweep.space.split: ") && bad.getMessage().contains("9"), bad.getMessage());
        assertTrue(!Files.exists(dir.resolve("results/sw-bad").resolve(Results.FILE)), "nothing computed");

        StudyRunner.Outcome o = StudyRunner.run(spec, dir.resolve("results"));
        assertEquals(3, o.cells(), "two candidates and the best one's run on the test split ('middle' cannot run)");
        assertEquals(3, o.computed());
        String csv = Files.readString(o.dir().resolve("summary/sweep.csv"));
        assertTrue(csv.startsWith("candidate,policy,trainable_params,score") && csv.lines().count() == 3, csv);
        assertTrue(Files.exists(o.dir().resolve("figures/sweep_policy.png")));
        String report = Files.readString(o.dir().resolve("report.md"));
        assertTrue(report.contains("test data (scored once)"), report);
        // "middle" with "skip" trains no block the plan runs: recorded with its reason and skipped, the sweep goes on
        assertTrue(report.contains("## Candidates that cannot run") && report.contains("| 1 | {policy=middle} | policy "
                + "middle trains blocks"), report);
        String left = Files.readString(o.dir().resolve("summary/sweep_infeasible.csv"));
        assertTrue(left.startsWith("candidate,parameters,reason") && left.lines().count() == 2 && left.contains("middle"),
                left);
        StudySpec best = StudySpecs.load(o.dir().resolve("best.study.json"), List.of());
        assertNotNull(best.settings(FineTuning.class).finetune());
        assertEquals(List.of("skip"), best.variants());
        List<String> rows = ResultsStore.readRows(o.dir().resolve(Results.FILE));
        assertTrue(rows.stream().anyMatch(r -> r.contains("\"scored_on\":\"test\"")));
        assertTrue(rows.stream().anyMatch(r -> r.contains("\"scored_on\":\"validation\"")));
        StudyRunner.Outcome again = StudyRunner.run(spec, dir.resolve("results"));
        assertEquals(0, again.computed());
        assertEquals(3, again.resumed());
    }
}
