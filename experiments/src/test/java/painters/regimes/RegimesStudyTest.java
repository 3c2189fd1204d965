package painters.regimes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import painters.checkpoint.PretrainRecord;
import painters.model.UserInputException;
import painters.training.CurvePoint;

/**
 * A regimes study in miniature: a tiny Llama config pre-trained under three regimes (standard, no residuals,
 * LayerDrop) on the same words, each put through a frozen grid (skip at one split, WikiText-2 perplexity, cos-sim),
 * the side-by-side outputs written, and a second run resumes everything without training or scoring again, also
 * from the trained weights and records alone.
 */
class RegimesStudyTest {

    static final Path CONFIG_FILE = Path.of("../model/src/test/resources/configs/tiny-llama-2x32.json");

    @Test
    void threeRegimesAreTrainedGriddedAndComparedSideBySide(@TempDir Path dir) throws Exception {
        Path data = Path.of(System.getProperty("painters.shared", "../shared")).resolve("data").toAbsolutePath()
                .normalize();
        Assumptions.assumeTrue(Files.isDirectory(data.resolve("wikitext2")), "skipped: no WikiText-2 under " + data);
        Files.writeString(dir.resolve("config.json"), Files.readString(CONFIG_FILE)
                .replace("\"num_hidden_layers\": 2", "\"num_hidden_layers\": 4"));
        String[] words = {"the", "cat", "sat", "on", "a", "mat", "and", "dog", "ran"};
        Random rnd = new Random(4);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            sb.append(words[rnd.nextInt(words.length)]).append(i % 9 == 8 ? ".\n" : " ");
        }
        Files.writeString(dir.resolve("words.txt"), sb.toString());
        String study = "{\"name\": \"reg\", \"data\": \"" + data + "\", \"tasks\": [\"wikitext2\"], \"limit\": 2, "
                + "\"variants\": [\"skip\"], \"splits\": [1], \"maxLength\": 32, \"batchSize\": 4, \"cossim\": true, "
                + "\"cossimTexts\": 4, \"pretrain\": {\"config\": \"" + dir.resolve("config.json") + "\", \"text\": \""
                + dir.resolve("words.txt") + "\", \"regimes\": [\"standard\", \"none\", \"layerdrop(0.5)\"], "
                + "\"seeds\": [0], \"steps\": 6, \"evalEvery\": 3, \"checkpointEvery\": 3, \"batchSize\": 4, "
                + "\"maxLength\": 32}}";
        RegimesSpec spec = RegimesSpec.of(JsonParser.parseString(study).getAsJsonObject(), List.of(), new ArrayList<>(),
                "test");
        RegimesStudy.Outcome o = RegimesStudy.run(spec, List.of(), dir.resolve("results"), "test");
        assertEquals(3, o.models().size());
        String models = Files.readString(o.dir().resolve("summary/models.csv"));
        assertEquals(4, models.lines().count(), models);
        assertTrue(models.contains("\nnone,0,") && models.contains("\nlayerdrop(0.5),0,"), models);
        String report = Files.readString(o.dir().resolve("report.md"));
        assertTrue(report.contains("| variant | s | affected | standard | none | layerdrop(0.5) |"), report);
        assertTrue(report.contains("## The paper's claims, per model"), report);
        assertTrue(report.contains("## How alike a text's tokens are"), report);
        for (RegimesStudy.Model m : o.models()) {                   // a row per model: its grid's analysis, 3 decimals
            List<String> sim = Files.readAllLines(m.grid().resolve("analysis/token_similarity.csv"));
            assertEquals(6, sim.size(), "header, 4 blocks' inputs and out: " + sim);
            String first = String.format(Locale.ROOT, "%.3f", Double.parseDouble(sim.get(1).split(",")[1]));
            assertTrue(report.contains("| " + m.regime() + " | " + m.seed() + " | trained | " + first + " +- "),
                    first + "\n" + report);
            List<String> init = Files.readAllLines(m.folder().resolve("init-analysis/token_similarity.csv"));
            assertEquals(sim.get(0), init.get(0));
            assertTrue(report.contains("| " + m.regime() + " | " + m.seed() + " | untrained | " + String.format(
                    Locale.ROOT, "%.3f", Double.parseDouble(init.get(1).split(",")[1])) + " +- "), report);
        }
        assertTrue(Files.size(o.dir().resolve("figures/regimes.png")) > 1000);
        assertTrue(Files.readString(o.dir().resolve("models/none-s0/config.json")).contains("\"painters_residual\": "
                + "\"none\""));
        assertTrue(Files.readString(o.dir().resolve("models/layerdrop-0.5-s0/config.json"))
                .contains("\"painters_layerdrop\": 0.5"));
        JsonObject record = JsonParser.parseString(Files.readString(o.dir().resolve("models/none-s0/"
                + PretrainRecord.FILE))).getAsJsonObject();
        assertEquals("none", record.get("residual").getAsString());
        assertEquals(3, record.getAsJsonArray("curve").size(), "steps 0, 3 and 6: " + record);
        assertEquals(o.models().get(1).curve().get(2).primary(), record.getAsJsonArray("curve").get(2).getAsJsonObject()
                .get("held_out_log_likelihood_per_token").getAsDouble(), 1e-12);
        double unigram = record.get("held_out_unigram_log_likelihood_per_token").getAsDouble();
        assertTrue(Double.isFinite(unigram) && unigram < 0, "a log-likelihood: " + unigram);
        assertEquals(unigram, o.models().get(1).unigramLogLikelihood(), 0.0);
        assertTrue(models.contains(String.format(Locale.ROOT, ",%.4f,", Math.exp(-unigram))), models);
        // resumed: the grids compute nothing and the models are not trained again (their curves come back whole)
        RegimesStudy.Outcome again = RegimesStudy.run(spec, List.of(), dir.resolve("results"), "test");
        assertEquals(kept(o.models().get(1).curve()), kept(again.models().get(1).curve()));
        assertEquals(Files.readString(o.dir().resolve("summary/regimes.csv")),
                Files.readString(again.dir().resolve("summary/regimes.csv")));

        // on another machine: only the weights, records, grids and init analyses (what a study commits to outlive one);
        // nothing is trained (no checkpoints come back) and every output is the same; an init analysis that is missing
        // is computed again from the seeded untrained weights, equal to the first
        String modelsCsv = Files.readString(o.dir().resolve("summary/models.csv"));
        String reportMd = Files.readString(o.dir().resolve("report.md"));
        Path noneSim = o.dir().resolve("models/none-s0/init-analysis/token_similarity.csv");
        String noneInit = Files.readString(noneSim);
        for (RegimesStudy.Model m : o.models()) {
            delete(m.folder().resolve("checkpoints"));
            delete(m.folder().resolve("init"));
        }
        delete(noneSim.getParent());
        RegimesStudy.Outcome moved = RegimesStudy.run(spec, List.of(), dir.resolve("results"), "test");
        assertEquals(kept(o.models().get(1).curve()), kept(moved.models().get(1).curve()));
        assertEquals(modelsCsv, Files.readString(moved.dir().resolve("summary/models.csv")));
        assertEquals(reportMd, Files.readString(moved.dir().resolve("report.md")));
        assertEquals(noneInit, Files.readString(noneSim));
        for (RegimesStudy.Model m : moved.models()) {
            assertFalse(Files.exists(m.folder().resolve("checkpoints")), m.folder() + " was trained again");
        }

        // negative control: other settings over a trained model without checkpoints are refused, naming file and key
        RegimesSpec longer = RegimesSpec.of(JsonParser.parseString(study.replace("\"steps\": 6", "\"steps\": 9"))
                .getAsJsonObject(), List.of(), new ArrayList<>(), "test");
        UserInputException e = assertThrows(UserInputException.class,
                () -> RegimesStudy.run(longer, List.of(), dir.resolve("results"), "test"));
        assertTrue(e.getMessage().contains("standard-s0/" + PretrainRecord.FILE + ": a model trained otherwise (\"train\" "
                + "is"), e.getMessage());
    }

    /** What a pre-training record keeps of each point (not the held-out items nor further tasks). */
    static List<List<Object>> kept(List<CurvePoint> curve) {
        return curve.stream().map(p -> List.<Object>of(p.step(), p.examples(), p.tokens(), p.loss(), p.scores(),
                p.stderr(), p.primary(), p.seconds())).toList();
    }

    static void delete(Path folder) throws IOException {
        try (Stream<Path> s = Files.walk(folder)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * Hand-computed: a plan's score is the median over tasks of the grid's normalised scores (ln 20 / ln 80 = 0.684 for
     * the perplexity, computed by the grid), the mean over head seeds within a task; plans come in the paper's order of
     * variants, then by affected layers.
     */
    @Test
    void planScoresAreTheGridsNormalisedScoresMedianOverTasksInThePapersOrder() throws Exception {
        String cells = """
                variant,split,affected,plan_seed,layer,loops,plan,depth,applications,task,head_seed,metric,value,chance,full,normalised
                full,-1,0,-1,-1,-1,0-3,4,4,wikitext2,0,word_perplexity,20,NaN,20,1.0
                reverse,1,2,-1,-1,-1,"0,2-1,3",4,4,wikitext2,0,word_perplexity,30,NaN,20,0.880789
                skip,1,2,-1,-1,-1,"0,3",2,2,wikitext2,0,word_perplexity,80,NaN,20,0.683641
                skip,1,2,-1,-1,-1,"0,3",2,2,arc-easy,0,accuracy,0.3,0.25,0.35,0.5
                skip,1,2,-1,-1,-1,"0,3",2,2,arc-easy,1,accuracy,0.3,0.25,0.35,0.7
                skip,1,2,-1,-1,-1,"0,3",2,2,piqa,0,accuracy,0.6,0.5,0.7,0.5
                skip,0,3,-1,-1,-1,"0",1,1,piqa,0,accuracy,0.6,0.5,0.7,0.1
                """;
        Map<String, double[]> plans = RegimesOutputs.normalised(cells);
        assertEquals(List.of("skip | 1 | 2", "skip | 0 | 3", "reverse | 1 | 2"), List.copyOf(plans.keySet()));
        double[] v = plans.get("skip | 1 | 2");
        assertEquals(3, v[1]);
        assertEquals(0.6, v[0], 1e-12, "the median of 0.684, (0.5 + 0.7) / 2 and 0.5");
        String two = cells.lines().filter(l -> !l.contains("piqa")).reduce("", (a, b) -> a + b + "\n");
        assertEquals((0.683641 + 0.6) / 2, RegimesOutputs.normalised(two).get("skip | 1 | 2")[0], 1e-12,
                "two tasks: their mean");
    }

    @Test
    void aBadRegimeOrKeyIsOneLine() {
        String bad = "{\"name\": \"r\", \"pretrain\": {\"config\": \"c.json\", \"text\": \"t.txt\", "
                + "\"regimes\": [\"layerdrop(2)\"], \"seeds\": [0]}}";
        UserInputException e = assertThrows(UserInputException.class,
                () -> RegimesSpec.of(JsonParser.parseString(bad).getAsJsonObject(), List.of(), new ArrayList<>(), "f"));
        assertTrue(e.getMessage().contains("LayerDrop's rate must be in (0, 1)"), e.getMessage());
        String key = "{\"name\": \"r\", \"pretrain\": {\"config\": \"c.json\", \"text\": \"t.txt\", "
                + "\"regimes\": [\"none\"], \"seeds\": [0], \"stepz\": 3}}";
        e = assertThrows(UserInputException.class,
                () -> RegimesSpec.of(JsonParser.parseString(key).getAsJsonObject(), List.of(), new ArrayList<>(), "f"));
        assertTrue(e.getMessage().contains("unknown key \"pretrain.stepz\""), e.getMessage());
    }
}
