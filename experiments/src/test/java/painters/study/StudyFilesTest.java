package painters.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import painters.model.UserInputException;

/** Every ready-to-run study file reads as a study named after its file; a misspelt key is refused naming file and key. */
class StudyFilesTest {

    static final Path STUDIES = Path.of(System.getProperty("painters.root", "..")).resolve("studies");

    @Test
    void everyStudyFileReadsAndIsNamedAfterItsFile() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(STUDIES)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertTrue(files.size() >= 14, "study files found: " + files);
        for (Path f : files) {
            StudySpec spec = StudySpecs.load(f, List.of());
            String stem = f.getFileName().toString().replaceFirst("\\.json$", "");
            assertEquals(stem, spec.name(), f + ": its results folder is named after the file");
        }
    }

    @Test
    void aMisspeltKeyIsRefusedNamingTheFileAndTheKey(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("typo.json");
        Files.writeString(f, Files.readString(STUDIES.resolve("healing-stories260k.json"))
                .replace("\"repairWindows\"", "\"repairWindow\""));
        UserInputException e = assertThrows(UserInputException.class, () -> StudySpecs.load(f, List.of()));
        assertTrue(e.getMessage().contains("typo.json") && e.getMessage().contains("repairWindow"), e.getMessage());
    }
}
