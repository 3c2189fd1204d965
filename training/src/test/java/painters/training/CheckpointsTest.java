package painters.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import painters.model.UserInputException;

/** LATEST names a checkpoint of its own folder, never a path out of it. */
class CheckpointsTest {

    @Test
    void latestOutsideTheFolderIsRefused(@TempDir Path dir) throws Exception {
        Path ckpt = Files.createDirectories(dir.resolve("run"));
        Files.createDirectories(dir.resolve("elsewhere"));
        for (String bad : new String[] {"../elsewhere", "/etc", "step-1/../../elsewhere", "x"}) {
            Files.writeString(ckpt.resolve(Checkpoints.LATEST), bad + "\n");
            UserInputException e = assertThrows(UserInputException.class, () -> Checkpoints.latest(ckpt));
            assertTrue(e.getMessage().contains("not a checkpoint of this folder"), e.getMessage());
        }
    }

    /** Negative control: the names save() writes resolve inside the folder; no LATEST is no checkpoint. */
    @Test
    void theNamesSaveWritesResolve(@TempDir Path dir) throws Exception {
        assertNull(Checkpoints.latest(dir));
        Files.writeString(dir.resolve(Checkpoints.LATEST), "step-000030\n");
        assertEquals(dir.resolve("step-000030"), Checkpoints.latest(dir));
    }
}
