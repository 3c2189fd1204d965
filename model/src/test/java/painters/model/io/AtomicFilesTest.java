package painters.model.io;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic writes leave no temporary file behind and give results the mode any new file gets (not 0600). */
class AtomicFilesTest {

    @Test
    void aWrittenFileHasTheModeOfAnyNewFile(@TempDir Path dir) throws Exception {
        Path plain = Files.createFile(dir.resolve("plain"));
        Path report = dir.resolve("report.md");
        AtomicFiles.writeString(report, "# report\n");
        assertEquals("# report\n", Files.readString(report));
        assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(report)), "the umask's mode, not 0600");
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary file left");
        }
    }
}
