package painters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import painters.model.family.CausalLm;
import painters.model.family.HiddenStates;
import painters.model.family.LmTrainingGraph;
import painters.model.family.LoadedModel;
import painters.model.family.ModelFamilies;
import painters.model.plan.LayerPlan;
import painters.model.repair.LinearRepair;
import painters.model.tokenizer.TokenBatch;
import painters.training.Checkpoints;
import painters.training.UnfreezePolicy;

/**
 * {@code export}: the written folder, loaded as an ordinary checkpoint and run as the plain model it is, equals the
 * source model run as the plan (final hidden states, 1e-5), for an encoder (BGE-small) and decoders (tiny Qwen2 and
 * GPT-2 checkpoints), with repeats, merges, a folded linear repair and a fine-tuning checkpoint (LoRA merged); a
 * parallel step is refused in one line.
 */
class ExportCommandTest {

    static final double TOL = 1e-5;
    static final Path FAMILIES = Path.of("../model/src/test/resources/families").toAbsolutePath().normalize();
    static final List<String> TEXTS = List.of("Export the plan as a plain checkpoint.",
            "Repeats are copied, merges averaged.", "and the folder loads like any other");

    /** Largest |difference| of the final states of {@code a} under {@code pa} and {@code b} under {@code pb}. */
    static double finalStateDiff(LoadedModel a, LayerPlan pa, LoadedModel b, LayerPlan pb) {
        HiddenStates ha = a.hiddenStates(pa);
        HiddenStates hb = b.hiddenStates(pb);
        double worst = 0;
        List<TokenBatch> batches = ha.batches(TEXTS, 4, 32);
        List<TokenBatch> other = hb.batches(TEXTS, 4, 32);
        for (int i = 0; i < batches.size(); i++) {
            List<INDArray> sa = ha.states(batches.get(i));
            List<INDArray> sb = hb.states(other.get(i));
            INDArray x = sa.get(sa.size() - 1).castTo(DataType.DOUBLE);
            INDArray y = sb.get(sb.size() - 1).castTo(DataType.DOUBLE);
            worst = Math.max(worst, Transforms.abs(x.sub(y)).maxNumber().doubleValue());
        }
        return worst;
    }

    LoadedModel exported(Path out, String... args) {
        List<String> a = new ArrayList<>(List.of("export", "--out", out.toString()));
        a.addAll(List.of(args));
        CliTest.Run r = CliTest.run(a.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(out.resolve("painters-plan.json")), r.out());
        return ModelFamilies.load(out.toString());
    }

    @Test
    void anEncoderWithARepeatAndAMergeLoadsBackAsThePlan(@TempDir Path dir) {
        String plan = "0-4,6x2,M(7-9),10-11";
        LoadedModel back = exported(dir.resolve("bge"), "--plan", plan);
        LoadedModel source = ModelFamilies.load("default");
        assertEquals(10, back.numLayers());
        double d = finalStateDiff(source, LayerPlan.parse(plan, 12), back, LayerPlan.identity(10));
        double control = finalStateDiff(source, LayerPlan.parse("0-4,6x2,7,10-11", 12), back, LayerPlan.identity(10));
        System.out.printf("[export] bge-small %s: exported vs plan %.2e (tol %.0e); merge replaced by block 7 %.2e%n",
                plan, d, TOL, control);
        assertTrue(d <= TOL, "exported vs plan: " + d);
        assertTrue(control > 10 * TOL, "negative control (the merge written as block 7) must differ: " + control);
    }

    @Test
    void decodersLoadBackAsThePlanAndARepairStaysFolded(@TempDir Path dir) throws Exception {
        for (String variant : List.of("qwen2", "gpt2")) {
            String src = FAMILIES.resolve(variant).toString();
            String plan = "0,1x2,M(2-3)";
            LoadedModel back = exported(dir.resolve(variant), "--model", src, "--plan", plan);
            LoadedModel source = ModelFamilies.load(src);
            assertEquals(4, back.numLayers());
            double d = finalStateDiff(source, LayerPlan.parse(plan, 4), back, LayerPlan.identity(4));
            System.out.printf("[export] %s %s: exported vs plan %.2e (tol %.0e)%n", variant, plan, d, TOL);
            assertTrue(d <= TOL, variant + ": exported vs plan: " + d);
        }
        Path calibration = dir.resolve("calibration.txt");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            lines.add("line " + i + " of the calibration text, with some words to fit the map on");
        }
        Files.write(calibration, lines);
        String src = FAMILIES.resolve("qwen2").toString();
        LoadedModel back = exported(dir.resolve("repaired"), "--model", src, "--plan", "0,3", "--repair", "linear",
                "--repair-data", calibration.toString());
        LoadedModel source = ModelFamilies.load(src);
        LoadedModel repaired = LinearRepair.fit(source, LayerPlan.parse("0,3", 4), lines, 32, 128, 0).apply(source);
        double d = finalStateDiff(repaired, LayerPlan.parse("0,3", 4), back, LayerPlan.identity(2));
        double unrepaired = finalStateDiff(source, LayerPlan.parse("0,3", 4), back, LayerPlan.identity(2));
        System.out.printf("[export] qwen2 0,3 repaired: exported vs repaired plan %.2e; vs the unrepaired plan %.2e%n", d,
                unrepaired);
        assertTrue(d <= TOL, "the exported repair equals the repaired plan: " + d);
        assertTrue(unrepaired > 10 * TOL, "negative control: the repair is in the export: " + unrepaired);
    }

    /**
     * A fine-tuned plan (all weights trained, and LoRA adapters with alpha != R) exported from its checkpoint equals the
     * run's own training graph with the checkpoint's arrays (next-token logits, 1e-5); the export without the checkpoint
     * (the negative control) does not.
     */
    @Test
    void aFineTunedCheckpointIsWrittenWithItsLoraMerged(@TempDir Path dir) throws Exception {
        String src = FAMILIES.resolve("qwen2").toString();
        Path text = dir.resolve("text.txt");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            lines.add("the " + i + "th line of a story, told to train the plan for a few steps and export it");
        }
        Files.write(text, lines);
        String plan = "0,1x2,M(2-3)";
        LayerPlan p = LayerPlan.parse(plan, 4);
        int k = 0;
        for (String policy : List.of("all", "lora:2:alpha=6")) {
            Path ck = dir.resolve("ck" + k);
            CliTest.Run ft = CliTest.run("finetune", "--model", src, "--text", text.toString(), "--plan", plan,
                    "--policy", policy, "--steps", "3", "--eval-every", "3", "--batch-size", "4", "--max-length", "24",
                    "--lr", "3e-2", "--checkpoints", ck.toString());
            assertEquals(0, ft.code(), ft.err());
            LoadedModel back = exported(dir.resolve("out" + k), "--model", src, "--plan", plan, "--checkpoint",
                    ck.toString());
            LoadedModel untrained = exported(dir.resolve("plain" + k), "--model", src, "--plan", plan);
            k++;
            // the reference: the run's training graph holding the checkpoint's arrays (LoRA as W + s B A in the graph)
            CausalLm source = (CausalLm) ModelFamilies.load(src);
            LmTrainingGraph g = source.trainingGraph(p, UnfreezePolicy.parse(policy).unfreezing(source.weights().layout(),
                    p, null, false));
            Checkpoints.load(ck).params().forEach((name, a) -> g.parameters().get(name).assign(a));
            double d = 0;
            double control = 0;
            for (TokenBatch b : back.hiddenStates(LayerPlan.identity(4)).batches(TEXTS, 1, 32)) {
                int[] ids = Arrays.stream(b.ids()[0]).mapToInt(x -> (int) x).toArray();
                INDArray want = g.logits(List.of(ids)).castTo(DataType.DOUBLE).reshape(ids.length, -1);
                d = Math.max(d, maxDiff(want, back.hiddenStates(LayerPlan.identity(4)).forward(b), ids.length));
                control = Math.max(control, maxDiff(want, untrained.hiddenStates(LayerPlan.identity(4)).forward(b),
                        ids.length));
            }
            System.out.printf("[export] qwen2 %s fine-tuned [%s] 3 steps: exported vs the run's graph %.2e (tol %.0e); "
                    + "export without the checkpoint %.2e%n", plan, policy, d, TOL, control);
            assertTrue(d <= TOL, policy + ": exported vs the fine-tuned graph: " + d);
            assertTrue(control > 10 * TOL, policy + ": negative control (the untrained export) must differ: " + control);
        }
        CliTest.Run other = CliTest.run("export", "--model", src, "--plan", "0,1,2,3", "--checkpoint",
                dir.resolve("ck0").toString(), "--out", dir.resolve("wrong").toString());
        assertEquals(2, other.code(), other.out());
        assertTrue(other.err().contains("trained under another plan (plan 0,1x2,M(2-3), here 0-3)"), other.err());
    }

    static double maxDiff(INDArray want, INDArray got, int tokens) {
        INDArray g = got.castTo(DataType.DOUBLE).reshape(tokens, -1);
        return Transforms.abs(want.sub(g)).maxNumber().doubleValue();
    }

    @Test
    void aParallelStepIsRefusedInOneLine(@TempDir Path dir) {
        CliTest.Run r = CliTest.run("export", "--plan", "0-4,P(5-7),8-11", "--out", dir.resolve("p").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("has no plain-model form: executed step 5, P(5-7), runs blocks in parallel"), r.err());
    }
}
