package painters.study;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import painters.results.Results;
import painters.results.StudyLock;

/** A resumed study continues the same computation or refuses; a folder in use is refused. */
class StudyIdentityTest {

    static StudySpec spec(Path task, int maxLength) {
        return StudySpecs.resolve(JsonParser.parseString("{\"name\": \"id\", \"tasks\": [\"" + task + "\"], "
                + "\"variants\": [\"skip\"], \"splits\": [5], \"maxLength\": " + maxLength + ", \"cossim\": false}")
                .getAsJsonObject(), List.of(), "test");
    }

    @Test
    void resumingWithAnotherMaxLengthIsRefusedAndChangesNothing(@TempDir Path dir) throws Exception {
        Path task = dir.resolve("wn-tiny.json");
        Files.writeString(task, """
                {"name": "wn-tiny", "version": 1, "kind": "classification", "format": "wordnet",
                 "splits": {"train": "train", "test": "test"}, "eval": "test",
                 "text": ["definition"], "label": "lexname",
                 "labels": ["noun.animal", "noun.food", "noun.plant", "noun.person"],
                 "metrics": ["accuracy"], "chance": 0.25,
                 "params": {"generator": "lexname", "seed": "1", "perClassTrain": "6", "perClassTest": "4"}}
                """);
        Path root = dir.resolve("results");
        StudyRunner.Outcome o = StudyRunner.run(spec(task, 32), root);
        String results = Files.readString(o.dir().resolve(Results.FILE));
        String resolved = Files.readString(o.dir().resolve(StudyRunner.SPEC));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StudyRunner.run(spec(task, 24), root));
        assertTrue(e.getMessage().contains("max_length: was 32, now 24") && e.getMessage().contains("--name="),
                e.getMessage());
        assertEquals(results, Files.readString(o.dir().resolve(Results.FILE)));
        assertEquals(resolved, Files.readString(o.dir().resolve(StudyRunner.SPEC)), "the resolved spec is not rewritten");
        // the data changing under the same task name is refused too
        Files.writeString(task, Files.readString(task).replace("\"seed\": \"1\"", "\"seed\": \"2\""));
        e = assertThrows(IllegalArgumentException.class, () -> StudyRunner.run(spec(task, 32), root));
        assertTrue(e.getMessage().contains("data:" + task), e.getMessage());
        // a folder another run holds is refused, naming it
        try (StudyLock held = StudyLock.acquire(o.dir())) {
            e = assertThrows(IllegalArgumentException.class, () -> StudyRunner.run(spec(task, 32), root));
            assertTrue(e.getMessage().contains("in use by another run"), e.getMessage());
        }
    }
}
