package painters.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static painters.study.PublishedResultsTest.ROOT;
import static painters.study.PublishedResultsTest.section;
import static painters.study.PublishedResultsTest.table;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import painters.eval.metric.ItemScores;
import painters.eval.metric.Metric;
import painters.eval.metric.PairedBootstrap;
import painters.eval.metric.Replicates;
import painters.results.ItemFiles;
import painters.results.ResultRow;
import painters.results.Results;

/**
 * The README's plan-search section against the published searches (`results/published/search*`): front tables,
 * quoted comparisons, and the paired comparison of the genetic and random searches, recomputed from stored items.
 */
class PublishedSearchesTest {

    static final Path SEARCH = ROOT.resolve("results/published");

    /** The searches the README's search section quotes, in the order its front tables appear. */
    static final List<String> SEARCHES = List.of("search", "search-depth7-repair", "search-random");

    /**
     * The README's plan-search section against the published searches: each front table (the fronts on test, with
     * latency, validation and test scores +- se) is its study's report table, in order, and each comparison the
     * README quotes (a line starting with "- `") is a line of one of the reports.
     */
    @Test
    void theReadmesSearchNumbersAreThePublishedReports() throws Exception {
        String readme = section(Files.readString(ROOT.resolve("README.md")),
                "## Beyond the paper: searching for plans");
        List<String> reports = new ArrayList<>();
        for (String study : SEARCHES) {
            reports.add(Files.readString(SEARCH.resolve(study).resolve("report.md")));
        }
        assertEquals(List.of(), searchMismatches(readme, reports));
        String changed = readme.replaceFirst("(\\| `0-11` \\| [^\\n]*?)(\\d) \\|\\n", "$1x |\n");
        assertFalse(changed.equals(readme), "the full model's row is quoted");
        assertFalse(searchMismatches(changed, reports).isEmpty(), "negative control: a changed front-table cell");
    }

    static List<String> searchMismatches(String readme, List<String> reports) {
        List<String> out = new ArrayList<>();
        String header = "| front | plan | depth | block applications | latency ms | validation | test |";
        List<List<String>> tables = tables(readme, header);
        if (tables.size() != reports.size()) {
            out.add(tables.size() + " front tables, " + reports.size() + " published searches");
            return out;
        }
        for (int i = 0; i < tables.size(); i++) {
            if (!tables.get(i).equals(table(reports.get(i), header))) {
                out.add(SEARCHES.get(i) + ": the README's front table differs from the report's:\n"
                        + String.join("\n", tables.get(i)));
            }
        }
        for (String line : readme.lines().filter(l -> l.startsWith("- `")).toList()) {
            if (reports.stream().noneMatch(r -> r.lines().anyMatch(l -> l.equals(line)))) {
                out.add("a comparison no report makes: " + line);
            }
        }
        return out;
    }

    /**
     * The README's comparison of the genetic search with the random one: each search's plan best on validation (never
     * chosen on the test scores it is compared on), both scored on the same test items, so the difference of their
     * test objectives (mean accuracy over the tasks) is paired: one bootstrap draw per task and replicate applied to
     * both studies' stored per-item outputs.
     */
    @Test
    void theGeneticAndRandomSearchesAreComparedPairedOnTheStoredItems() throws Exception {
        List<String> rows = table(section(Files.readString(ROOT.resolve("README.md")),
                "## Beyond the paper: searching for plans"), "| search best on validation |");
        assertEquals(3, rows.size(), "header, rule, one comparison");
        assertEquals(List.of(), searchComparisonMismatches(rows.get(2)));
        assertFalse(searchComparisonMismatches(rows.get(2).replaceFirst("(\\d) \\|$", "x |")).isEmpty(),
                "negative control: the paired error's last digit");
    }

    static List<String> searchComparisonMismatches(String row) throws IOException {
        double[] diff = new double[PairedBootstrap.REPLICATES];
        double point = 0;
        String[] plans = new String[2];
        List<String> tasks = List.of("wn-lexname", "wn-shuffle");
        for (int k = 0; k < 2; k++) {
            String origin = k == 0 ? "genetic" : "random";
            Path dir = SEARCH.resolve(k == 0 ? "search" : "search-random");
            List<ResultRow> rows = Results.read(dir.resolve(Results.FILE));
            ResultRow best = rows.stream().filter(r -> r.sweep().scoredOn().equals("validation") && r.plan().split() < 0
                    && r.plan().variant().equals(origin))
                    .max(Comparator.comparingDouble(r -> r.sweep().sweepScore())).orElseThrow();
            String plan = best.plan().plan();
            plans[k] = plan;
            for (String task : tasks) {
                ResultRow test = rows.stream().filter(r -> r.sweep().scoredOn().equals("test") && r.score().primary()
                        && r.plan().plan().equals(plan) && r.score().task().equals(task)).findFirst()
                        .orElseThrow();
                List<JsonObject> items = ItemFiles.read(dir, task).get(test.cell());
                int[][] draws = PairedBootstrap.draws(task, items.size());
                double[] v = PairedBootstrap.replicates(ItemScores.fromItems(items), Metric.ACCURACY, draws).values();
                for (int b = 0; b < diff.length; b++) {
                    diff[b] += (k == 0 ? 1 : -1) * v[b] / tasks.size();
                }
                point += (k == 0 ? 1 : -1) * test.score().value() / tasks.size();
            }
        }
        String want = String.format(Locale.ROOT, "| `%s` | `%s` | %+.4f +- %.4f |", plans[0], plans[1], point,
                new Replicates(diff).se());
        return row.endsWith(want) ? List.of() : List.of(row + ": the stored items give " + want);
    }

    static List<List<String>> tables(String text, String header) {
        List<List<String>> out = new ArrayList<>();
        String rest = text;
        int at;
        while ((at = rest.indexOf(header)) >= 0) {
            List<String> t = table(rest.substring(at), header);
            out.add(t);
            rest = rest.substring(at + header.length());
        }
        return out;
    }
}
