package painters.sweep;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxCandidatesCondition;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.junit.jupiter.api.Test;

/** Arbiter's generators over the sweep's spaces: the grid visits exactly the expected points. */
class SweepGeneratorTest {

    static SweepSpec spec(String json) {
        return SweepSpec.of(JsonParser.parseString(json).getAsJsonObject(), "test");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> all(CandidateGenerator g) {
        List<Map<String, Object>> out = new ArrayList<>();
        while (g.hasMoreCandidates() && out.size() < 1000) {
            Candidate<?> c = g.getCandidate();
            out.add((Map<String, Object>) c.getValue());
        }
        return out;
    }

    @Test
    void gridVisitsExactlyTheLogSpacedRatesTimesThePolicies() {
        SweepSpec s = spec("{\"space\": {\"learningRate\": {\"min\": 1e-5, \"max\": 1e-3, \"log\": true}, "
                + "\"policy\": [\"all\", \"middle\"]}, \"gridPoints\": 3}");
        List<Map<String, Object>> got = all(new GridSearchCandidateGenerator(new SweepSpace(s.space()), 3,
                GridSearchCandidateGenerator.Mode.Sequential, null));
        assertEquals(6, got.size());
        Set<String> points = new HashSet<>();
        for (Map<String, Object> p : got) {
            double lr = (Double) p.get("learningRate");
            double snapped = Math.abs(lr / 1e-5 - 1) < 1e-9 ? 1e-5 : Math.abs(lr / 1e-4 - 1) < 1e-9 ? 1e-4
                    : Math.abs(lr / 1e-3 - 1) < 1e-9 ? 1e-3 : Double.NaN;
            assertFalse(Double.isNaN(snapped), "unexpected learning rate " + lr);
            points.add(snapped + "|" + p.get("policy"));
        }
        assertEquals(Set.of("1.0E-5|all", "1.0E-4|all", "0.001|all", "1.0E-5|middle", "1.0E-4|middle", "0.001|middle"),
                points);
    }

    @Test
    void integerAndDiscreteGridsAndASeededRandomSearch() {
        SweepSpec s = spec("{\"space\": {\"steps\": {\"int\": [10, 30]}, \"split\": [3, 5]}, \"gridPoints\": 3}");
        List<Map<String, Object>> grid = all(new GridSearchCandidateGenerator(new SweepSpace(s.space()), 3,
                GridSearchCandidateGenerator.Mode.Sequential, null));
        Set<String> pts = new HashSet<>();
        grid.forEach(p -> pts.add(p.get("steps") + "|" + p.get("split")));
        assertEquals(Set.of("10|3", "20|3", "30|3", "10|5", "20|5", "30|5"), pts);

        SweepSpec r = spec("{\"space\": {\"learningRate\": {\"min\": 1e-5, \"max\": 1e-3, \"log\": true}}, "
                + "\"generator\": \"random\", \"maxCandidates\": 4, \"seed\": 7}");
        List<Object> a = new ArrayList<>();
        List<Object> b = new ArrayList<>();
        for (List<Object> into : List.of(a, b)) {
            RandomSearchGenerator g = new RandomSearchGenerator(new SweepSpace(r.space()), null);
            g.setRngSeed(7);
            for (int i = 0; i < 4; i++) {
                into.add(((Map<?, ?>) g.getCandidate().getValue()).get("learningRate"));
            }
        }
        assertEquals(a, b, "a seeded random search repeats itself (so a killed sweep resumes)");
        a.forEach(x -> assertTrue((Double) x >= 1e-5 && (Double) x <= 1e-3));
    }

    @Test
    void maxCandidatesStopsTheSweep() {
        SweepProgress p = new SweepProgress(true);
        MaxCandidatesCondition c = new MaxCandidatesCondition(2);
        c.initialize(p);
        assertFalse(c.terminate(p));
        p.handedOut();
        p.handedOut();
        assertEquals(2, p.numCandidatesQueued());
        p.completed(0, 0.5);
        p.completed(1, 0.7);
        assertTrue(c.terminate(p));
        assertEquals(0, p.numCandidatesQueued());
        assertEquals(0.7, p.bestScore());
        assertEquals(1, p.bestScoreCandidateIndex());
    }

    @Test
    void badSweepsAreClearErrors() {
        assertThrows(IllegalArgumentException.class, () -> spec("{\"space\": {\"momentum\": [0.9]}}"));
        assertThrows(IllegalArgumentException.class, () -> spec("{\"space\": {\"policy\": {\"min\": 1, \"max\": 2}}}"));
        assertThrows(IllegalArgumentException.class, () -> spec("{\"space\": {\"steps\": [10]}, \"generator\": \"random\"}"));
        assertThrows(IllegalArgumentException.class, () -> spec("{\"space\": {\"steps\": [10]}, \"generator\": \"genetic\"}"));
    }
}
