package painters.model.llama;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import painters.model.decoder.*;

/** The stories260K folder of ../shared/data and its golden outputs; tests skip without it. */
final class Stories260K {

    private Stories260K() {}

    /** {@code ../shared/data/models/stories260K}, or the test is skipped with the reason. */
    static Path dir() {
        String shared = System.getProperty("painters.shared", "../shared");
        Path d = Path.of(shared).resolve("data/models/stories260K").toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isRegularFile(d.resolve("stories260K.bin")),
                "skipped: stories260K not found at " + d + " (../shared/data is only present in the dev/CI checkout)");
        return d;
    }

    static JsonObject golden(String file) {
        try (Reader r = Files.newBufferedReader(dir().resolve("golden").resolve(file))) {
            return JsonParser.parseReader(r).getAsJsonObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static DecoderModel hf() {
        return LlamaLoader.load(dir().resolve("hf").toString());
    }

    static DecoderModel llama2c() {
        return LlamaLoader.load(dir().resolve("stories260K.bin").toString());
    }
}
