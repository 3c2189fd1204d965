package painters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import painters.model.family.HiddenStates;
import painters.model.family.LoadedModel;
import painters.model.family.ModelFamilies;
import painters.model.plan.LayerPlan;
import painters.model.repair.LinearRepair;
import painters.model.tokenizer.TokenBatch;

/**
 * {@code export}: the written folder, loaded as an ordinary checkpoint and run as the plain model it is, equals the
 * source model run as the plan (final hidden states, 1e-5), for an encoder (BGE-small) and decoders (tiny Qwen2 and
 * GPT-2 checkpoints), with repeats, merges and a folded linear repair; a parallel step is refused in one line.
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

    @Test
    void aParallelStepIsRefusedInOneLine(@TempDir Path dir) {
        CliTest.Run r = CliTest.run("export", "--plan", "0-4,P(5-7),8-11", "--out", dir.resolve("p").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("has no plain-model form: executed step 5, P(5-7), runs blocks in parallel"), r.err());
    }
}
