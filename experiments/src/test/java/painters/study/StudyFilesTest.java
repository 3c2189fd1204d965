package painters.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import painters.checkpoint.PretrainRecord;
import painters.model.UserInputException;
import painters.regimes.RegimesSpec;
import painters.regimes.RegimesStudy;
import painters.training.LmCorpus;
import painters.training.Pretraining;

/** Every ready-to-run study file reads as a study named after its file; a misspelt key is refused naming file and key. */
class StudyFilesTest {

    static final Path STUDIES = Path.of(System.getProperty("painters.root", "..")).resolve("studies");

    @Test
    void everyStudyFileReadsAndIsNamedAfterItsFile() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(STUDIES)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertTrue(files.size() >= 14, "study files found: " + files);
        for (Path f : files) {
            String stem = f.getFileName().toString().replaceFirst("\\.json$", "");
            JsonObject o = StrictJson.object(Files.readString(f), f.toString());
            if (RegimesSpec.is(o)) {                // a regimes study: its pretrain section, and its grid on a model
                RegimesSpec r = RegimesSpec.of(o, List.of(), new ArrayList<>(), f.toString());
                assertEquals(stem, r.name(), f + ": its results folder is named after the file");
                assertTrue(Files.isRegularFile(STUDIES.getParent().resolve(r.config())), f + ": " + r.config());
                JsonObject grid = r.grid().deepCopy();
                grid.addProperty("model", "default");
                StudySpecs.resolve(grid, List.of(), f.toString());
                continue;
            }
            StudySpec spec = StudySpecs.load(f, List.of());
            assertEquals(stem, spec.name(), f + ": its results folder is named after the file");
        }
    }

    /**
     * A regimes study's text must load as the corpus it trains on (WikiText-2 here has no train split to name), and the
     * trained models kept for it (under {@code results/in-progress/<name>/models}, a study longer than one machine's
     * time, or {@code results/published/<name>/models}) must be ones it trains, with records matching the settings it
     * makes now: a later run resumes from them rather than refusing, and an edit of the spec that would orphan them
     * fails here first.
     */
    @Test
    void everyRegimesStudysTextLoadsAndItsKeptModelsAreWhatItTrains() throws IOException {
        Path root = STUDIES.getParent();
        int checked = 0;
        try (Stream<Path> s = Files.list(STUDIES)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                JsonObject o = StrictJson.object(Files.readString(f), f.toString());
                if (!RegimesSpec.is(o)) {
                    continue;
                }
                RegimesSpec r = RegimesSpec.of(o, List.of(), new ArrayList<>(), f.toString());
                Path data = root.resolve(r.grid().get("data").getAsString()).normalize();
                Assumptions.assumeTrue(Files.isDirectory(data), "skipped: no data folder " + data + " for " + f);
                LmCorpus corpus = LmCorpus.load(r.text(), data);
                assertTrue(corpus.documents().get(0).length() > 100_000, f + ": " + corpus.name());
                checked++;
                JsonObject rooted = o.deepCopy();
                rooted.getAsJsonObject("pretrain").addProperty("config", root.resolve(r.config()).toString());
                RegimesSpec here = RegimesSpec.of(rooted, List.of(), new ArrayList<>(), f.toString());
                Map<String, Pretraining.Settings> trains = new TreeMap<>();
                for (String regime : here.regimes()) {
                    for (long seed : here.seeds()) {
                        trains.put(RegimesSpec.slug(regime, seed), RegimesStudy.settings(here, regime, seed));
                    }
                }
                for (String where : List.of("in-progress", "published")) {
                    Path models = root.resolve("results").resolve(where).resolve(r.name()).resolve("models");
                    if (!Files.isDirectory(models)) {
                        continue;
                    }
                    try (Stream<Path> kept = Files.list(models)) {
                        for (Path m : kept.sorted().toList()) {
                            String slug = m.getFileName().toString();
                            assertTrue(trains.containsKey(slug), m + ": not a model " + f + " trains " + trains.keySet());
                            assertTrue(PretrainRecord.finished(m, trains.get(slug), corpus).isPresent(),
                                    m + ": its record does not match what " + f + " trains");
                        }
                    }
                }
            }
        }
        assertTrue(checked >= 1, "regimes study files checked: " + checked);
    }

    @Test
    void aMisspeltKeyIsRefusedNamingTheFileAndTheKey(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("typo.json");
        Files.writeString(f, Files.readString(STUDIES.resolve("healing-stories260k.json"))
                .replace("\"repairWindows\"", "\"repairWindow\""));
        UserInputException e = assertThrows(UserInputException.class, () -> StudySpecs.load(f, List.of()));
        assertTrue(e.getMessage().contains("typo.json") && e.getMessage().contains("repairWindow"), e.getMessage());
    }
}
