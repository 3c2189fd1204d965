package painters.study.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import painters.results.ResultRow;
import painters.results.ResultsStore;

/** The report's raw per-task table, hand-computed: a mean over random-order seeds carries the seeds' error too. */
class StudyReportTest {

    static ResultRow random(long seed, double value) {
        ResultRow r = ClaimsTest.row("random", 4, "sem", value, 0.02);
        return new ResultRow(null, r.study(), r.model(), r.modelSha(), new ResultRow.PlanPart("random4#" + seed, "random",
                4, 2, seed, -1, -1, 9, 9), r.score(), null, null, r.run());
    }

    @Test
    void rawScoresAreMeansOverSeedsWithTheItemsAndTheSeedsError(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("results.jsonl");
        try (ResultsStore s = ResultsStore.open(f)) {
            s.append("full", List.of(ClaimsTest.row("full", -1, "sem", 0.90, 0.015)));
            s.append("skip", List.of(ClaimsTest.row("skip", 4, "sem", 0.70, 0.02)));
            s.append("r0", List.of(random(0, 0.60)));
            s.append("r1", List.of(random(1, 0.70)));
            s.append("r2", List.of(random(2, 0.80)));
        }
        List<String> lines = StudyReport.rawTable(StudyTable.load(f), "sem").lines().toList();
        assertEquals("| sem accuracy: affected layers | random | skip |", lines.get(0));
        // random: mean 0.7; items 0.02 and seeds sd 0.1 / sqrt 3 = 0.0577 in quadrature: 0.0611
        assertEquals(0.0611, Math.hypot(0.02, 0.1 / Math.sqrt(3)), 5e-5);
        assertEquals("| 2 | 0.700 +- 0.061 | 0.700 +- 0.020 |", lines.get(2));
        assertEquals(3, lines.size(), "the full model is not a row: " + lines);
        assertTrue(!lines.get(2).contains("0.020 | 0.700 +- 0.020"), "negative control: the seeds' error is not dropped");
    }
}
