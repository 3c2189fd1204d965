package painters.study;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import painters.results.Provenance;
import painters.results.ResultRow;
import painters.results.ResultsStore;

/** Degenerate tasks are reported but never normalised; skipped rows reach the report. */
class StudyTableQualityTest {

    static ResultRow row(String variant, String task, double value, int skipped, boolean degenerate) {
        return new ResultRow(null, "s", "m", "sha", new ResultRow.PlanPart(variant.equals("full") ? "0-11" : "0-4,8-11",
                variant, variant.equals("full") ? -1 : 4, variant.equals("full") ? 0 : 3, -1, -1, -1, 9, 9),
                new ResultRow.Score(task, 1, "d", 0, "accuracy", value, true, 0.5, 100, "head", skipped, degenerate,
                        0.01),
                null, null, new Provenance("cpu", "x", "17", "linux", "c").run(0, 32, 128));
    }

    @Test
    void aDegenerateTaskIsLeftOutOfNormalisedScoresAndNamedInTheReport(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("results.jsonl");
        try (ResultsStore s = ResultsStore.open(f)) {
            s.append("a", List.of(row("full", "good", 0.9, 3, false)));
            s.append("b", List.of(row("skip", "good", 0.7, 3, false)));
            s.append("c", List.of(row("full", "onecls", 1.0, 0, true)));
            s.append("d", List.of(row("skip", "onecls", 1.0, 0, true)));
        }
        StudyTable t = StudyTable.load(f);
        assertEquals(List.of("onecls"), t.degenerate());
        assertEquals(java.util.Map.of("good", 3), t.skippedRows());
        StudyTable.Entry good = t.entries().stream().filter(e -> e.task().equals("good") && e.variant().equals("skip"))
                .findFirst().orElseThrow();
        assertEquals((0.7 - 0.5) / (0.9 - 0.5), good.normalised(), 1e-12);
        assertTrue(t.entries().stream().filter(e -> e.task().equals("onecls")).allMatch(e -> Double.isNaN(e.normalised())));
        StudySpec spec = StudySpecs.resolve(com.google.gson.JsonParser.parseString("{\"name\": \"s\"}").getAsJsonObject(),
                List.of(), "test");
        String report = StudyReport.markdown(spec, t, List.of(), false, false, false);
        assertTrue(report.contains("**Degenerate tasks** [onecls]") && report.contains("good 3 rows"), report);
    }
}
