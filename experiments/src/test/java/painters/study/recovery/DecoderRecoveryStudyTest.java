package painters.study.recovery;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import painters.eval.lm.LmEvaluator;
import painters.eval.lm.LmTasks;
import painters.eval.metric.ItemScores;
import painters.eval.metric.Metric;
import painters.eval.task.TaskScore;
import painters.model.decoder.DecoderModel;
import painters.model.llama.LlamaLoader;
import painters.model.plan.Split;
import painters.model.plan.Variant;
import painters.results.ItemFiles;
import painters.results.ResultRow;
import painters.results.Results;
import painters.study.StudyRunner;
import painters.study.StudySpec;
import painters.study.StudySpecs;
import painters.study.finetune.FineTuning;

/**
 * Recovery studies and sweeps on a real decoder (stories260K), end to end through the one study runner:
 * causal-LM fine-tuning of every plan under block and LoRA policies, held-out perplexity and an LM task
 * along the curve, outputs, resume.
 */
class DecoderRecoveryStudyTest {

    @TempDir
    static Path dir;
    static Path data;
    static Path model;
    static Path text;

    @BeforeAll
    static void files() throws Exception {
        data = Path.of(System.getProperty("painters.shared", "../shared")).resolve("data").toAbsolutePath().normalize();
        model = data.resolve("models/stories260K/stories260K.bin");
        Assumptions.assumeTrue(Files.isRegularFile(model), "skipped: stories260K not found at " + model);
        text = dir.resolve("shakespeare.txt");
        Files.writeString(text, Files.readString(data.resolve("tinyshakespeare/input.txt")).substring(0, 8_000));
    }

    static StudySpec spec(String json) {
        return StudySpecs.resolve(JsonParser.parseString(json).getAsJsonObject(), List.of(), "test");
    }

    @Test
    void aDecoderRecoveryStudyFineTunesEveryPlanAndScoresItsTasksAlongTheCurve() throws Exception {
        StudySpec spec = spec("{\"name\": \"drec\", \"model\": \"" + model + "\", \"data\": \"" + data + "\", "
                + "\"tasks\": [\"lambada\"], \"limit\": 8, \"bos\": true, \"variants\": [\"skip\"], \"splits\": [1], "
                + "\"maxLength\": 48, \"batchSize\": 8, \"cossim\": false, \"finetune\": {\"data\": \"" + text + "\", "
                + "\"policies\": [\"all\", \"lora:4:q,v,gate:alpha=8\"], \"steps\": 2, \"evalEvery\": 1, \"batchSize\": 8, "
                + "\"learningRate\": 0.003, \"checkpointEvery\": 1}}");
        StudyRunner.Outcome o = StudyRunner.run(spec, dir.resolve("results"));
        assertEquals(4, o.cells(), "full and skip, under two policies");
        assertEquals(4, o.computed());
        List<ResultRow> rows = Results.read(o.dir().resolve(Results.FILE));
        // per run: 3 points x (held-out perplexity + lambada acc + lambada perplexity)
        assertEquals(4 * 3 * 3, rows.size());
        ResultRow heldOut = rows.stream().filter(r -> r.score().task().equals("shakespeare.txt")).findFirst().orElseThrow();
        assertEquals("perplexity", heldOut.score().metric());
        assertTrue(heldOut.score().primary() && Double.isNaN(heldOut.score().chance()));

        // step 0 of the skip run scores lambada exactly as the frozen grid does (independent path: the frozen decoder)
        DecoderModel m = LlamaLoader.load(model.toString());
        TaskScore frozen = new LmEvaluator(data, 8, 0, true, 8).score(m,
                Variant.SKIP.plan(new Split(5, 1), 0, 3), List.of("lambada")).get(0);
        ResultRow step0 = rows.stream().filter(r -> r.plan().variant().equals("skip") && r.training().step() == 0
                && r.score().task().equals("lambada") && r.score().metric().equals("perplexity")).findFirst().orElseThrow();
        assertEquals(frozen.values().get(Metric.PERPLEXITY), step0.score().value(),
                1e-4 * step0.score().value());
        assertEquals(LmTasks.get("lambada").chance(), step0.score().chance());
        // every point stores its item error: held-out perplexity over its windows, lambada's accuracy and perplexity
        assertTrue(rows.stream().allMatch(r -> r.score().stderr() >= 0), "every curve row has an item error (NaN fails)");
        ResultRow acc0 = rows.stream().filter(r -> r.plan().variant().equals("skip") && r.training().step() == 0
                && r.score().task().equals("lambada") && r.score().metric().equals("accuracy")).findFirst().orElseThrow();
        assertEquals(Math.sqrt(acc0.score().value() * (1 - acc0.score().value()) / 8), acc0.score().stderr(), 1e-9,
                "lambada accuracy over its 8 items: binomial");

        // LoRA trains adapters only: r (in + out) on q (64x64), v (32x64), gate (172x64) of 5 blocks
        long lora = rows.stream().filter(r -> r.training().policy().startsWith("lora") && r.plan().variant().equals("full"))
                .findFirst().orElseThrow().training().trainableParams();
        assertEquals(5L * 4 * ((64 + 64) + (64 + 32) + (64 + 172)), lora);

        String csv = Files.readString(o.dir().resolve("summary/recovery.csv"));
        assertEquals(1 + 4 * 2, csv.lines().count(), "a summary row per run and task (held-out, lambada):\n" + csv);
        String curves = Files.readString(o.dir().resolve("summary/curves.csv"));
        assertEquals(1 + 4 * 2 * 3, curves.lines().count(), "a row per plan, task and point:\n" + curves);
        assertFalse(curves.contains("NaN"), "one seed: every point's error is its items':\n" + curves);
        // every point kept its held-out windows, and they give back the stored perplexity
        Map<String, List<JsonObject>> windows = ItemFiles.read(o.dir(), "shakespeare.txt");
        List<ResultRow> heldOutRows = rows.stream().filter(r -> r.score().task().equals("shakespeare.txt")).toList();
        assertEquals(4 * 3, heldOutRows.size());
        for (ResultRow r : heldOutRows) {
            List<JsonObject> w = windows.get(RecoverySummary.pointCell(r.cell(), r.training().step()));
            assertTrue(w != null && !w.isEmpty(), "items of " + r.cell() + " at step " + r.training().step());
            ItemScores s = ItemScores.fromItems(w);
            assertEquals(r.score().value(), s.value(Metric.PERPLEXITY, ItemScores.all(s.size())), 1e-9 * r.score().value());
        }
        assertTrue(RecoverySummary.curves(o.dir().resolve(Results.FILE)).stream()
                .filter(c -> c.task().equals("shakespeare.txt")).allMatch(c -> c.itemsAt(0) != null && c.itemsAt(2) != null));
        assertTrue(Files.exists(o.dir().resolve("figures/a2_shakespeare.txt_all.png")));
        assertTrue(Files.exists(o.dir().resolve("figures/a2_lambada_all.png")));
        String report = Files.readString(o.dir().resolve("report.md"));
        assertTrue(report.contains("causal language-modelling loss") && report.contains("shakespeare.txt (perplexity)"),
                report);
        assertEquals(0, StudyRunner.run(spec, dir.resolve("results")).computed(), "resumed: nothing to redo");
    }

    @Test
    void aRepairedRunStartsFromTheRepairedPlanNextToTheUnrepairedOne() throws Exception {
        StudySpec spec = spec("{\"name\": \"drep\", \"model\": \"" + model + "\", \"data\": \"" + data + "\", "
                + "\"tasks\": [\"lambada\"], \"limit\": 4, \"bos\": true, \"variants\": [\"skip\", \"parallel\"], \"splits\": [1], \"maxLength\": 48, "
                + "\"batchSize\": 8, \"cossim\": false, \"finetune\": {\"data\": \"" + text + "\", \"policies\": [\"all\"], "
                + "\"steps\": 1, \"evalEvery\": 1, \"batchSize\": 8, \"learningRate\": 0.003, \"repairs\": [\"none\", "
                + "\"linear\"], \"repairWindows\": 16}}");
        StudyRunner.Outcome o = StudyRunner.run(spec, dir.resolve("results"));
        assertEquals(4, o.cells(), "full, skip and parallel unrepaired; skip repaired (the full model and a parallel "
                + "step take no repair)");
        List<ResultRow> rows = Results.read(o.dir().resolve(Results.FILE));
        List<ResultRow> repaired = rows.stream().filter(r -> r.cell() != null && r.cell().contains("|repair:")).toList();
        assertFalse(repaired.isEmpty());
        assertTrue(repaired.stream().allMatch(r -> r.plan().variant().equals("skip")
                && r.cell().endsWith("|repair:linear:w16:r0.0") && r.training().settings().contains("\"repaired\":")));
        double frozen = step0(rows, false);
        double fixed = step0(rows, true);
        System.out.printf("[repair] stories260K skip s=1 held-out perplexity at step 0: %.2f frozen, %.2f repaired%n",
                frozen, fixed);
        assertTrue(fixed < frozen, "the repair lowers the cut plan's held-out perplexity: " + fixed + " vs " + frozen);
        String healing = Files.readString(o.dir().resolve("summary/healing.csv"));
        assertTrue(healing.contains(",all after repair linear:w16:r0.0,skip,"), healing);
        String report = Files.readString(o.dir().resolve("report.md"));
        assertTrue(report.contains("## Healing"));
        // the repair's cost next to a fine-tuning step's: the calibration tokens the fit recorded, in the report
        Matcher fit = RepairCost.FIT.matcher(repaired.get(0).training().settings());
        assertTrue(fit.find(), repaired.get(0).training().settings());
        assertTrue(report.contains("## Training-free repairs") && report.contains("| `0-1,4` | map on block 1's MLP "
                + "output for removed blocks [2, 3] | " + fit.group(2) + " tokens of 16 texts | "), report);
        // one step's FLOPs, from the model (not the rows): per token under the plan x the tokens of a step
        ResultRow last = repaired.stream().filter(r -> r.training().step() == 1).findFirst().orElseThrow();
        double step = LlamaLoader.load(model.toString()).trainingFlopsPerToken(Variant.SKIP.plan(new Split(5, 1), 0, 3),
                48) * last.training().tokens();
        assertTrue(report.contains(String.format(Locale.ROOT, " | %.2e | ", step)), step + "\n" + report);
        assertEquals(0, StudyRunner.run(spec, dir.resolve("results")).computed(), "resumed: nothing to redo");
    }

    /** The skip plan's held-out perplexity at step 0, repaired or not. */
    static double step0(List<ResultRow> rows, boolean repaired) {
        return rows.stream().filter(r -> r.plan().variant().equals("skip") && r.training().step() == 0
                && r.score().task().equals("shakespeare.txt") && r.cell().contains("|repair:") == repaired)
                .findFirst().orElseThrow().score().value();
    }

    @Test
    void aDecoderSweepTunesOnValidationWindowsAndRunsTheBestOnce() throws Exception {
        StudySpec spec = spec("{\"name\": \"dsw\", \"model\": \"" + model + "\", \"data\": \"" + data + "\", "
                + "\"tasks\": [\"lambada\"], \"limit\": 8, \"bos\": true, \"variants\": [\"skip\"], \"splits\": [1], "
                + "\"maxLength\": 48, \"cossim\": false, \"finetune\": {\"data\": \"" + text + "\", \"policies\": [\"all\"], "
                + "\"steps\": 1, \"evalEvery\": 1, \"batchSize\": 8}, \"sweep\": {\"space\": {\"policy\": [\"adjacent\", "
                + "\"lora:2:q,k,v,o,gate,up,down\"]}, \"validation\": 0.25}}");
        StudyRunner.Outcome o = StudyRunner.run(spec, dir.resolve("results"));
        assertEquals(3, o.cells(), "two candidates and the best one on the held-out windows");
        List<ResultRow> rows = Results.read(o.dir().resolve(Results.FILE));
        assertTrue(rows.stream().allMatch(r -> r.sweep() != null && r.score().metric().equals("perplexity")));
        assertTrue(rows.stream().anyMatch(r -> r.sweep().scoredOn().equals("test")));
        StudySpec best = StudySpecs.load(o.dir().resolve("best.study.json"), List.of());
        assertEquals(text.toString(), best.settings(FineTuning.class).finetune().data(), "the best study fine-tunes on the same corpus");
        assertEquals(List.of("lambada"), best.tasks(), "and scores the study's tasks along its curve");
        assertTrue(best.bos() && best.limit() == 8);
        assertTrue(Files.readString(o.dir().resolve("summary/sweep.csv")).lines().count() == 3);
        assertEquals(0, StudyRunner.run(spec, dir.resolve("results")).computed());
    }

    /**
     * A policy that trains no block its plan runs ({@code last:2} under skip at s=0, plan {@code 0} of stories260K's
     * five blocks) is left out with its reason in the report; the study runs everything else instead of stopping.
     */
    @Test
    void aRunThatCannotTrainIsLeftOutAndTheStudyGoesOn() throws Exception {
        StudySpec spec = spec("{\"name\": \"dleft\", \"model\": \"" + model + "\", \"data\": \"" + data + "\", "
                + "\"tasks\": [\"lambada\"], \"limit\": 4, \"bos\": true, \"variants\": [\"skip\"], \"splits\": [0], "
                + "\"maxLength\": 32, \"batchSize\": 8, \"cossim\": false, \"finetune\": {\"data\": \"" + text + "\", "
                + "\"policies\": [\"last:2\", \"all\"], \"steps\": 1, \"evalEvery\": 1, \"batchSize\": 4}}");
        StudyRunner.Outcome o = StudyRunner.run(spec, dir.resolve("left"));
        assertEquals(3, o.computed(), "full under both policies, skip under all; skip under last:2 left out");
        String report = Files.readString(o.dir().resolve("report.md"));
        assertTrue(report.contains("## Runs that cannot train") && report.contains("| skip 0 on shakespeare.txt [last:2] "
                + "| policy last:2 trains blocks [3, 4], none of which plan 0 runs (it runs [0]) |"), report);
    }
}
