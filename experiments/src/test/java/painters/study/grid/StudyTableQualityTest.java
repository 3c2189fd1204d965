package painters.study.grid;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import painters.results.Provenance;
import painters.results.ResultRow;
import painters.results.ResultsStore;
import painters.study.StudyCells;
import painters.study.StudySpec;
import painters.study.StudySpecs;

/**
 * Degenerate tasks are reported but never normalised; skipped rows reach the report; a perplexity (no chance level) is
 * normalised as the ratio of cross-entropies, hand-computed.
 */
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
        assertEquals(Map.of("good", 3), t.skippedRows());
        StudyTable.Entry good = t.entries().stream().filter(e -> e.task().equals("good") && e.variant().equals("skip"))
                .findFirst().orElseThrow();
        assertEquals((0.7 - 0.5) / (0.9 - 0.5), good.normalised(), 1e-12);
        assertTrue(t.entries().stream().filter(e -> e.task().equals("onecls")).allMatch(e -> Double.isNaN(e.normalised())));
        StudySpec spec = StudySpecs.resolve(JsonParser.parseString("{\"name\": \"s\"}").getAsJsonObject(),
                List.of(), "test");
        String report = StudyReport.markdown(spec, t, List.of(), false, false, false);
        assertTrue(report.contains("**Degenerate tasks** [onecls]") && report.contains("good 3 rows"), report);
    }

    static ResultRow seeded(String variant, long headSeed, double value, double se) {
        return new ResultRow(null, "s", "m", "sha", new ResultRow.PlanPart(variant.startsWith("full") ? "0-11" : "0-4,8-11",
                variant, variant.startsWith("full") ? -1 : 4, variant.startsWith("full") ? 0 : 3, -1, -1, -1, 9, 9),
                new ResultRow.Score("t", 1, "d", headSeed, "accuracy", value, true, 0.5, 400, "head", 0, false, se),
                null, null, new Provenance("cpu", "x", "17", "linux", "c").run(0, 32, 128));
    }

    @Test
    void theHeadsSeedNoiseIsMeasuredOnTheFullModelAndAddedToEveryError(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("results.jsonl");
        try (ResultsStore s = ResultsStore.open(f)) {
            s.append("a", List.of(seeded("full", 0, 0.80, 0.02)));
            s.append("b", List.of(seeded(StudyCells.SEED_SPREAD, 1, 0.82, 0.02)));
            s.append("c", List.of(seeded(StudyCells.SEED_SPREAD, 2, 0.78, 0.02)));
            s.append("d", List.of(seeded("skip", 0, 0.70, 0.01)));
        }
        StudyTable t = StudyTable.load(f);
        assertEquals(0.02, t.headSeedSpread().get("t"), 1e-12, "sd of 0.80, 0.82, 0.78");
        StudyTable.Entry skip = t.entries().stream().filter(e -> e.variant().equals("skip")).findFirst().orElseThrow();
        assertEquals(Math.sqrt(0.01 * 0.01 + 0.02 * 0.02), skip.stderr(), 1e-12);
        assertEquals(2, t.entries().size(), "the seed-spread rows are not cells of the tables");
        StudySpec spec = StudySpecs.resolve(JsonParser.parseString("{\"name\": \"s\", \"tasks\": "
                + "[\"wn-lexname\"], \"variants\": [], \"seedSpread\": 3}").getAsJsonObject(), List.of(), "test");
        assertEquals(List.of("full|h0", "full-seed|h1", "full-seed|h2"), StudyCells.of(spec, 12).stream()
                .map(c -> c.variant() + "|h" + c.headSeed()).toList());
        assertTrue(StudyReport.markdown(spec, t, List.of(), false, false, false).contains("**Head seeds.**"));
    }

    static ResultRow perplexity(String variant, double value, double se) {
        return new ResultRow(null, "s", "m", "sha", new ResultRow.PlanPart(variant.equals("full") ? "0-5" : "0,4-5",
                variant, variant.equals("full") ? -1 : 1, variant.equals("full") ? 0 : 3, -1, -1, -1, 6, 6),
                new ResultRow.Score("wikitext2", 1, "d", 0, "word_perplexity", value, true, Double.NaN, 20, "lm", 0,
                        false, se), null, null, new Provenance("cpu", "x", "17", "linux", "c").run(0, 32, 128));
    }

    /**
     * ln 20 / ln 80 = 0.68364; its unpaired error by the delta method with se 2 on 80 and 0.5 on 20: d/dv = ln 20 /
     * (80 ln^2 80) = 0.001950, d/df = 1 / (20 ln 80) = 0.011410, so sqrt((2 x 0.001950)^2 + (0.5 x 0.011410)^2) =
     * 0.006911. A plan better than the full model scores above 1; the report says how perplexities are normalised.
     */
    @Test
    void aPerplexityIsNormalisedAsTheRatioOfCrossEntropies(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("results.jsonl");
        try (ResultsStore s = ResultsStore.open(f)) {
            s.append("a", List.of(perplexity("full", 20, 0.5)));
            s.append("b", List.of(perplexity("skip", 80, 2)));
            s.append("c", List.of(perplexity("reverse", 16, 0.4)));
        }
        StudyTable t = StudyTable.load(f);
        StudyTable.Entry skip = t.entries().stream().filter(e -> e.variant().equals("skip")).findFirst().orElseThrow();
        assertEquals(0.683641, skip.normalised(), 1e-6);
        assertEquals(0.006911, skip.normStderr(), 1e-6);
        assertFalse(skip.paired(), "no items kept: unpaired");
        StudyTable.Entry better = t.entries().stream().filter(e -> e.variant().equals("reverse")).findFirst()
                .orElseThrow();
        assertEquals(Math.log(20) / Math.log(16), better.normalised(), 1e-12);
        assertTrue(better.normalised() > 1);
        StudySpec spec = StudySpecs.resolve(JsonParser.parseString("{\"name\": \"s\"}").getAsJsonObject(),
                List.of(), "test");
        String report = StudyReport.markdown(spec, t, List.of(), false, false, false);
        assertTrue(report.contains("ratio of cross-entropies ln ppl(full) / ln ppl(plan)"), report);
    }
}
