package painters.study;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import painters.eval.metric.ItemScores;
import painters.eval.metric.Metric;
import painters.results.ItemFiles;
import painters.results.Results;
import painters.results.ResultsStore;

/** A decoder study end to end on stories260K: cells, results with provenance, cos-sim, report. */
class DecoderStudyTest {

    @Test
    void aDecoderStudyRunsEveryVariantAndWritesItsReport(@TempDir Path dir) throws Exception {
        Path data = Path.of(System.getProperty("painters.shared", "../shared")).resolve("data").toAbsolutePath();
        Path model = data.resolve("models/stories260K/stories260K.bin");
        Assumptions.assumeTrue(Files.isRegularFile(model), "skipped: stories260K not found at " + model);
        StudySpec spec = StudySpecs.resolve(JsonParser.parseString("{\"name\": \"dec\", \"model\": \"" + model
                + "\", \"data\": \"" + data + "\", \"tasks\": [\"lambada\", \"winogrande\"], \"limit\": 12, \"bos\": true,"
                + " \"variants\": [\"skip\", \"parallel\", \"looped-parallel\"], \"cossimTexts\": 16}").getAsJsonObject(),
                List.of(), "test");
        StudyRunner.Outcome o = StudyRunner.run(spec, dir);
        // full + 3 variants x splits {0, 1} per task
        assertEquals(2 * (1 + 3 * 2), o.cells());
        List<String> rows = ResultsStore.readRows(o.dir().resolve(Results.FILE));
        JsonObject full = rows.stream().map(r -> JsonParser.parseString(r).getAsJsonObject())
                .filter(r -> r.get("variant").getAsString().equals("full") && r.get("task").getAsString().equals("lambada")
                        && r.get("metric").getAsString().equals("perplexity")).findFirst().orElseThrow();
        assertEquals(model.toString(), full.get("model").getAsString());
        assertEquals(12, full.get("n").getAsInt());
        assertTrue(full.get("value").getAsDouble() > 1, "a perplexity");
        assertTrue(Files.exists(o.dir().resolve("analysis").resolve("cossim.png")));
        String report = Files.readString(o.dir().resolve("report.md"));
        assertTrue(report.contains("lambada") && report.contains("winogrande"), report);
        // per-item outputs: 12 items per cell, and they recompute the stored scores
        var items = ItemFiles.read(o.dir(), "lambada");
        assertEquals(1 + 3 * 2, items.size());
        List<JsonObject> fullItems = items.get(full.get("cell").getAsString());
        assertEquals(12, fullItems.size());
        ItemScores is = ItemScores.fromItems(fullItems);
        assertEquals(full.get("value").getAsDouble(), is.value(Metric.PERPLEXITY,
                ItemScores.all(12)), 1e-9 * full.get("value").getAsDouble());
        var wino = ItemFiles.read(o.dir(), "winogrande");
        assertTrue(wino.values().stream().allMatch(b -> b.size() == 12 && b.get(0).has("loglikelihoods")));
        assertFalse(report.contains("have no per-item outputs"), "every score is paired");
        // a resumed run computes nothing
        assertEquals(0, StudyRunner.run(spec, dir).computed());
    }
}
