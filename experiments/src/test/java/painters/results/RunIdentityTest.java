package painters.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import painters.model.UserInputException;

/** A folder refuses a run computed differently, the precision included, whichever side leaves it implicit. */
class RunIdentityTest {

    static RunIdentity id(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return new RunIdentity(m);
    }

    @Test
    void anImplicitFp32FolderRefusesBf16AndTheOtherWayRound(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        id("model_sha256", "abc").claim(dir.resolve("a"), dir.resolve("a/results.jsonl"));
        UserInputException e = assertThrows(UserInputException.class,
                () -> id("model_sha256", "abc", "dtype", "bf16").claim(dir.resolve("a"), dir.resolve("a/results.jsonl")));
        assertTrue(e.getMessage().contains("dtype: was fp32, now bf16"), e.getMessage());

        id("model_sha256", "abc", "dtype", "bf16").claim(dir.resolve("b"), dir.resolve("b/results.jsonl"));
        e = assertThrows(UserInputException.class,
                () -> id("model_sha256", "abc").claim(dir.resolve("b"), dir.resolve("b/results.jsonl")));
        assertTrue(e.getMessage().contains("dtype: was bf16, now fp32"), e.getMessage());
    }

    /** Negative control: the same computation resumes; an explicit fp32 equals an implicit one. */
    @Test
    void theSameComputationResumes(@TempDir Path dir) throws Exception {
        id("model_sha256", "abc").claim(dir, dir.resolve("results.jsonl"));
        id("model_sha256", "abc").claim(dir, dir.resolve("results.jsonl"));
        assertEquals(List.of(), id("model_sha256", "abc", "dtype", "fp32").changesFrom(id("model_sha256", "abc")));
        assertEquals(List.of(), id("model_sha256", "abc", "new_key", "x").changesFrom(id("model_sha256", "abc")),
                "a key an older folder lacks is not compared");
        assertEquals(List.of(), id("model_sha256", "abc", "pairs", "joint").changesFrom(id("model_sha256", "abc")),
                "pair tasks of an older folder were read jointly");
    }

    @Test
    void pairTasksReadTextByTextDoNotResumeAFolderThatReadThemTogether() {
        assertEquals(List.of("pairs: was joint, now separate"), id("model_sha256", "abc", "pairs", "separate")
                .changesFrom(id("model_sha256", "abc")));
    }
}
