package painters.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import painters.model.UserInputException;

/**
 * Where a corpus comes from: {@code ${data}} in a file's path is the data folder (as in task specs), so a study file
 * names its text wherever the data lives; without a data folder that path is refused naming it.
 */
class LmCorpusTest {

    @Test
    void dataPlaceholderResolvesToTheDataFolder(@TempDir Path data) throws Exception {
        Files.createDirectories(data.resolve("wikitext2"));
        Path file = data.resolve("wikitext2/valid.txt");
        Files.writeString(file, "a text to train on\n");
        LmCorpus direct = LmCorpus.load(file.toString(), null);
        LmCorpus placeholder = LmCorpus.load("${data}/wikitext2/valid.txt", data);
        assertEquals(direct.checksum(), placeholder.checksum());
        assertEquals(direct.documents(), placeholder.documents());
        assertEquals("valid.txt", placeholder.name());

        UserInputException noData = assertThrows(UserInputException.class,
                () -> LmCorpus.load("${data}/wikitext2/valid.txt", null));
        assertTrue(noData.getMessage().startsWith("${data}/wikitext2/valid.txt: names ${data}"), noData.getMessage());
        UserInputException missing = assertThrows(UserInputException.class,
                () -> LmCorpus.load("${data}/wikitext2/train.txt", data));
        assertTrue(missing.getMessage().contains(data.resolve("wikitext2/train.txt").toString()), missing.getMessage());
    }
}
