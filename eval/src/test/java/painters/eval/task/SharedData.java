package painters.eval.task;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** The benchmark folder beside the checkout ({@code ../shared/data}); tests that need it skip without it. */
public final class SharedData {

    private SharedData() {}

    /** The data folder, or the test is skipped with the reason. */
    public static Path require() {
        String shared = System.getProperty("painters.shared", "../shared");
        Path data = Path.of(shared).resolve("data").toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isDirectory(data.resolve("glue")),
                "skipped: benchmark data not found at " + data + " (../shared/data is only present in the dev/CI checkout)");
        return data;
    }
}
