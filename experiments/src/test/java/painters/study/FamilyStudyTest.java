package painters.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import painters.results.Results;
import painters.results.ResultsStore;

/**
 * A grid study runs unchanged on every decoder family: the tiny random-weight checkpoints of each family's HF format
 * ({@code model/src/test/resources/families}, proven against numpy references in {@code FamilyGoldenTest}) through
 * the paper's variants at every split on LAMBADA, to results and a report.
 */
class FamilyStudyTest {

    static final Path FAMILIES = Path.of("../model/src/test/resources/families").toAbsolutePath().normalize();

    @ParameterizedTest
    @ValueSource(strings = {"qwen2", "gemma2", "phi3", "gpt_neox", "gpt2", "olmo2"})
    void aGridStudyRunsOnEveryFamily(String variant, @TempDir Path dir) throws Exception {
        Path data = Path.of(System.getProperty("painters.shared", "../shared")).resolve("data").toAbsolutePath();
        Assumptions.assumeTrue(Files.isDirectory(data.resolve("lambada")), "skipped: no LAMBADA under " + data);
        Path model = FAMILIES.resolve(variant);
        StudySpec spec = StudySpecs.resolve(JsonParser.parseString("{\"name\": \"" + variant + "\", \"model\": \""
                + model + "\", \"data\": \"" + data + "\", \"tasks\": [\"lambada\"], \"limit\": 4, \"bos\": true, "
                + "\"variants\": [\"skip\", \"reverse\", \"parallel\"], \"cossimTexts\": 4}").getAsJsonObject(), List.of(),
                "test");
        StudyRunner.Outcome o = StudyRunner.run(spec, dir);
        assertEquals(1 + 3 * 2, o.cells(), "full + 3 variants x splits {0, 1} at T=4");
        List<JsonObject> rows = ResultsStore.readRows(o.dir().resolve(Results.FILE)).stream()
                .map(r -> JsonParser.parseString(r).getAsJsonObject()).toList();
        JsonObject full = rows.stream().filter(r -> r.get("variant").getAsString().equals("full")
                && r.get("metric").getAsString().equals("perplexity")).findFirst().orElseThrow();
        assertEquals(4, full.get("n").getAsInt());
        assertTrue(full.get("value").getAsDouble() > 1, "a perplexity: " + full);
        assertTrue(Files.readString(o.dir().resolve("report.md")).contains("lambada"));
    }
}
