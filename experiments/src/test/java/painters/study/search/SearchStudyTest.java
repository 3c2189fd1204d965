package painters.study.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import painters.results.ResultRow;
import painters.results.Results;
import painters.study.StudyRunner;
import painters.study.StudySpec;
import painters.study.StudySpecs;

/**
 * A small plan search end to end on BGE-small (wn-lexname, 120 training examples): the paper's references and
 * the genetic search's candidates scored on a validation view only, exactly the validation fronts' plans scored
 * on test with a measured latency, outputs, and a resume that replays the seeded search and computes nothing.
 */
class SearchStudyTest {

    @Test
    void aGeneticSearchScoresOnValidationThenItsFrontsOnTestAndResumesToNothing(@TempDir Path dir) throws Exception {
        StudySpec spec = StudySpecs.resolve(JsonParser.parseString("{\"name\": \"search\", \"tasks\": [\"wn-lexname\"], "
                + "\"variants\": [\"skip\", \"parallel\"], \"splits\": [4], \"trainMax\": 120, \"maxLength\": 32, "
                + "\"cossim\": false, \"search\": {\"generator\": \"genetic\", \"candidates\": 8, \"batch\": 4, "
                + "\"population\": 4, \"maxDepth\": 10, \"latencyBatch\": 4, \"latencySeq\": 16, \"latencyRuns\": 3}}")
                .getAsJsonObject(), List.of(), "test");
        StudyRunner.Outcome o = StudyRunner.run(spec, dir);
        List<ResultRow> rows = Results.read(o.dir().resolve(Results.FILE));
        List<ResultRow> validation = rows.stream().filter(r -> r.sweep().scoredOn().equals("validation")).toList();
        // the full model and skip / parallel at s = 4 are the references
        Set<String> refs = validation.stream().filter(r -> !SearchKind.isSearch(r.plan().variant(), r.plan().split()))
                .map(r -> r.plan().plan()).collect(Collectors.toSet());
        assertEquals(Set.of("0-11", "0-4,8-11", "0-4,P(5-7),8-11"), refs);
        // scored on the validation view: a quarter of the 600 training examples, never the 300 test ones
        for (ResultRow r : validation) {
            if (r.score().primary()) {
                assertEquals(150, r.score().n(), r.plan().plan());
                assertTrue(r.score().protocol().contains("validation view"), r.score().protocol());
            }
            assertTrue(r.plan().depth() <= 10 || !SearchKind.isSearch(r.plan().variant(), r.plan().split()), "depth limit: " + r.plan().plan());
        }
        List<SearchOutputs.Scored> scored = SearchOutputs.read(o.dir());
        assertTrue(scored.stream().filter(SearchOutputs.Scored::searched).count() >= 2, "the search scored plans");
        // exactly the plans of the two validation fronts and the full model are scored on test, each with a latency
        Set<String> expected = new HashSet<>(Set.of("0-11"));      // the full model, always
        for (boolean searched : new boolean[] {true, false}) {
            List<SearchOutputs.Scored> group = scored.stream().filter(s -> s.searched() == searched).toList();
            for (SearchOutputs.Scored s : group) {
                boolean dominated = group.stream().anyMatch(x -> x.applications() <= s.applications()
                        && x.validation() > s.validation() || x.applications() < s.applications()
                        && x.validation() >= s.validation());
                if (!dominated) {
                    expected.add(s.plan());
                }
            }
        }
        Set<String> tested = scored.stream().filter(s -> !Double.isNaN(s.test())).map(SearchOutputs.Scored::plan)
                .collect(Collectors.toSet());
        assertEquals(expected, tested);
        for (SearchOutputs.Scored s : scored.stream().filter(s -> !Double.isNaN(s.test())).toList()) {
            assertTrue(s.latencyMs() > 0 && s.latencySe() >= 0, s.plan() + " latency " + s.latencyMs());
            assertEquals(300, rows.stream().filter(r -> r.sweep().scoredOn().equals("test") && r.score().primary()
                    && r.plan().plan().equals(s.plan())).findFirst().orElseThrow().score().n(), "test: the 300 test items");
        }
        String report = Files.readString(o.dir().resolve("report.md"));
        assertTrue(report.contains("## The fronts on test") && report.contains("Does the search beat"), report);
        assertTrue(report.contains("comparisons;"), "the report counts its comparisons: " + report);
        assertFalse(report.contains("combined se"), "test items stored: every comparison is paired: " + report);
        assertTrue(Files.exists(o.dir().resolve("figures/search_validation.png")));
        assertTrue(Files.exists(o.dir().resolve("figures/search_test.png")));
        assertEquals(0, StudyRunner.run(spec, dir).computed(), "resumed: the seeded search replays, nothing to redo");
    }

    /** The paper's random-order variant shares its name with the random search; only a plan from no split is searched. */
    @Test
    void thePapersRandomOrderIsNotASearchCandidate() {
        assertTrue(SearchKind.isSearch("genetic", -1));
        assertTrue(SearchKind.isSearch("random", -1), "a random search's candidate");
        assertFalse(SearchKind.isSearch("random", 3), "the paper's random order at split 3");
        assertFalse(SearchKind.isSearch("skip", 2));
        assertFalse(SearchKind.isSearch("full", -1));
    }
}
