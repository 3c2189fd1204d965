package painters.model.llama;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import painters.model.ModelFormatException;
import painters.model.decoder.*;

/** A llama2.c file of the wrong size says what it found and what the header implies, without contradicting itself. */
class Llama2cHostileTest {

    @Test
    void twoExtraBytesAreNamedAsBytes(@TempDir Path dir) throws Exception {
        Path bin = dir.resolve("m.bin");
        Files.copy(Stories260K.dir().resolve("stories260K.bin"), bin);
        Files.write(bin, new byte[] {1, 2}, StandardOpenOption.APPEND);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Llama2cCheckpoint.read(bin));
        assertTrue(e.getMessage().contains("not a whole number of 4-byte floats"), e.getMessage());
        long size = Files.size(bin) - 28;
        assertTrue(e.getMessage().contains(size + " bytes after the header")
                && e.getMessage().contains((size - 2) + " bytes (dim 64"), e.getMessage());
    }
}
