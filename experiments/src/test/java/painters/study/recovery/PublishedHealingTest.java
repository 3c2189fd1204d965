package painters.study.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import painters.results.Results;

/**
 * The healing figures the README publishes come from the stored study: its summary ({@code summary/healing.csv}) and
 * the report's healing table follow from its stored rows with today's code (and both recovery studies' recovery
 * summaries), and every row of the README's healing
 * table is a row of that report (a changed digit is caught).
 */
class PublishedHealingTest {

    static final Path ROOT = Path.of(System.getProperty("painters.root", ".."));
    static final Path STORIES = ROOT.resolve("results/published/healing-stories260k");

    static List<String> tableRows(String text) {
        return text.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| task |")).map(String::strip).toList();
    }

    static String section(String text, String heading) {
        int from = text.indexOf(heading);
        assertTrue(from >= 0, "no section " + heading);
        int to = text.indexOf("\n## ", from + heading.length());
        return text.substring(from, to < 0 ? text.length() : to);
    }

    @Test
    void theHealingSummaryFollowsFromTheStoredRows() throws Exception {
        List<RecoverySummary.Curve> curves = RecoverySummary.curves(STORIES.resolve(Results.FILE));
        List<RecoverySummary.Row> rows = RecoverySummary.summarise(curves, 0.9);
        List<HealingCost.Heal> heals = HealingCost.of(curves, rows);
        assertEquals(Files.readString(STORIES.resolve("summary/healing.csv")), HealingCost.csv(heals));
        String report = section(Files.readString(STORIES.resolve("report.md")), "## Healing");
        assertEquals(tableRows(report), tableRows(HealingCost.section(heals, List.of())));
        assertEquals(fronts(report), fronts(HealingCost.section(heals, List.of())));
        assertEquals(3, fronts(report).size(), "Tiny Shakespeare's two fronts, and LAMBADA's none: " + fronts(report));
    }

    /** The report's front sentences (a paragraph each, opening with the task in bold). */
    static List<String> fronts(String text) {
        return text.lines().filter(l -> l.startsWith("**")).toList();
    }

    /** Both published recovery studies: {@code summary/recovery.csv} and the report's recovery table from the rows. */
    @Test
    void theRecoverySummariesFollowFromTheStoredRows() throws Exception {
        for (Path study : List.of(STORIES, ROOT.resolve("results/published/stories260k-recovery"))) {
            List<RecoverySummary.Curve> curves = RecoverySummary.curves(study.resolve(Results.FILE));
            List<RecoverySummary.Row> rows = RecoverySummary.summarise(curves, 0.9);
            assertEquals(Files.readString(study.resolve("summary/recovery.csv")), RecoveryOutputs.recoveryCsv(rows),
                    study.toString());
            assertEquals(Files.readString(study.resolve("summary/curves.csv")), RecoveryOutputs.curvesCsv(rows),
                    study.toString());
        }
    }

    @Test
    void theReadmesHealingRowsAreThePublishedReports() throws Exception {
        String readme = section(Files.readString(ROOT.resolve("README.md")), "### Healing, measured");
        List<String> shown = tableRows(readme).stream().filter(r -> r.contains("`")).toList();
        assertTrue(shown.size() >= 10, "the README shows the study's rows: " + shown.size());
        List<String> report = tableRows(Files.readString(STORIES.resolve("report.md")));
        List<String> missing = new ArrayList<>(shown);
        missing.removeAll(report);
        assertEquals(List.of(), missing, "README rows not in the published report");
        // the front within the budget, as the README words it: every plan of the report's sentence with its healed share
        String budget = fronts(Files.readString(STORIES.resolve("report.md"))).stream()
                .filter(l -> l.contains("within the budget")).findFirst().orElseThrow();
        Matcher m = Pattern.compile("`([^`]+)` under all saves (-?\\d+)% of the blocks "
                + "and heals ([0-9.]+ \\+- [0-9.]+)%").matcher(budget);
        int points = 0;
        String words = readme.replaceAll("\\s+", " ");                    // the README wraps its lines anywhere
        while (m.find()) {
            assertTrue(words.contains("`" + m.group(1) + "` (" + m.group(2) + "%, " + m.group(3) + "%")
                    || words.contains("`" + m.group(1) + "` (80% of the block applications saved, " + m.group(3) + "%")
                    || words.contains("`" + m.group(1) + "` (80% more compute, " + m.group(3) + "%"), m.group());
            points++;
        }
        assertEquals(6, points, budget);
        String changed = shown.get(0).replaceFirst("(\\d)( \\|)", "9$2");
        assertTrue(!changed.equals(shown.get(0)) && !report.contains(changed), "negative control: " + changed);
    }
}
