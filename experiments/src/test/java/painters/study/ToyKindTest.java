package painters.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import painters.model.UserInputException;
import painters.results.Results;
import painters.results.ResultsStore;
import painters.study.grid.ClaimsTest;
import painters.study.search.SearchSettings;
import painters.subject.Subject;

/**
 * A sixth kind of study added in a test, as a new kind is added: its settings, its kind and one
 * {@link StudyKinds#register} call, nothing else touched. The spec reader reads its section (and overrides of it),
 * the runner computes and stores its units, resumes them, writes its outputs, and its identity line guards the folder.
 */
class ToyKindTest {

    /** The toy kind's settings: how many units it computes. */
    record ToySettings(int count) implements KindSettings {}

    /** Units {@code toy|i}, each storing one row; outputs: the number of rows. */
    static final class ToyKind implements StudyKind {
        private final StudySpec spec;

        ToyKind(StudySpec spec, Subject subject) {
            this.spec = spec;
        }

        record ToyUnit(int i) implements Unit {
            @Override
            public List<String> keys() {
                return List.of("toy|" + i);
            }

            @Override
            public String label() {
                return "toy " + i;
            }
        }

        @Override
        public String name() {
            return "toy";
        }

        @Override
        public Units units(ResultsStore store) {
            List<Unit> all = new ArrayList<>();
            for (int i = 0; i < spec.settings(ToySettings.class).count(); i++) {
                all.add(new ToyUnit(i));
            }
            List<Unit> todo = all.stream().filter(u -> !store.isDone(u.keys().get(0))).toList();
            return StudyKind.listed(todo, all.size(), all.size() - todo.size());
        }

        @Override
        public void prepare(Path dir, List<? extends Unit> units) {
        }

        @Override
        public Worker worker() {
            return (unit, sink) -> sink.store(unit.keys().get(0), List.of(ClaimsTest.row("skip", ((ToyUnit) unit).i(),
                    "toy", 0.5, 0.01)), unit.label());
        }

        @Override
        public void outputs(Path dir) throws IOException {
            Files.writeString(dir.resolve("toy.txt"), Results.read(dir.resolve(Results.FILE)).size() + "\n");
        }
    }

    @AfterEach
    void unregister() {
        StudyKinds.unregister("toy");
    }

    static void register() {
        StudyKinds.register(new StudyKinds.Kind("toy", "a toy kind", List.of("toy"),
                Map.of("toy", Map.<String, JsonElement>of("count", new JsonPrimitive(1))), ToySettings.class,
                (s, src) -> new ToySettings(s.get("toy").has("count") ? s.get("toy").get("count").getAsInt() : 1),
                k -> {
                    JsonObject o = new JsonObject();
                    o.addProperty("count", ((ToySettings) k).count());
                    return Map.of("toy", o);
                },
                k -> Map.of("toy", "count " + ((ToySettings) k).count()), ToyKind::new));
    }

    @Test
    void aKindRegisteredInATestRunsResumesAndGuardsItsFolder(@TempDir Path dir) throws Exception {
        register();
        Path f = dir.resolve("toy.json");
        Files.writeString(f, "{\"name\": \"toy\", \"tasks\": [\"wn-lexname\"], \"cossim\": false, \"toy\": {\"count\": 3}}");
        StudySpec spec = StudySpecs.load(f, List.of());
        assertEquals(new ToySettings(3), spec.kind());
        assertEquals(new ToySettings(2), StudySpecs.load(f, List.of("--toy.count=2")).kind(), "overrides reach it");
        assertEquals(spec, StudySpecs.fromJson(StudySpecs.toJson(spec), "resolved"), "written and read back");
        assertThrows(IllegalStateException.class, () -> spec.settings(SearchSettings.class), "another kind's settings");

        StudyRunner.Outcome o = StudyRunner.run(spec, dir.resolve("results"));
        assertEquals(3, o.computed());
        assertEquals("3\n", Files.readString(o.dir().resolve("toy.txt")));
        assertTrue(Files.readString(o.dir().resolve("identity.json")).contains("\"toy\": \"count 3\""));
        assertEquals(0, StudyRunner.run(spec, dir.resolve("results")).computed(), "resumed: nothing to compute");
        // a changed setting of the kind is refused on the same folder (its identity line), as any kind's
        StudySpec four = StudySpecs.load(f, List.of("--toy.count=4"));
        UserInputException e = assertThrows(UserInputException.class, () -> StudyRunner.run(four, dir.resolve("results")));
        assertTrue(e.getMessage().contains("toy: was count 3, now count 4"), e.getMessage());

        // the toy section with another kind's is not a kind of study: the error lists the kinds, the toy one too
        Files.writeString(f, "{\"name\": \"toy\", \"toy\": {}, \"search\": {}}");
        UserInputException mixed = assertThrows(UserInputException.class, () -> StudySpecs.load(f, List.of()));
        assertTrue(mixed.getMessage().contains("\"toy\" (a toy kind)") && mixed.getMessage().contains("(the frozen grid)"),
                mixed.getMessage());
        // a kind whose sections select another's is refused at registration
        assertThrows(IllegalStateException.class, () -> StudyKinds.register(new StudyKinds.Kind("toy2", "clash",
                List.of("search"), Map.of(), ToySettings.class, null, null, null, null)));
    }
}
