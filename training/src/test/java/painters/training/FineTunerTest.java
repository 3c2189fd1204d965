package painters.training;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import painters.eval.head.Featurizer;
import painters.eval.head.HeadConfig;
import painters.eval.head.TaskEvaluator;
import painters.eval.task.TaskData;
import painters.eval.task.TaskScore;
import painters.eval.task.TaskSpecs;
import painters.model.bert.BertEncoder;
import painters.model.bert.BertLoader;
import painters.model.bert.BertModel;
import painters.model.plan.LayerPlan;
import painters.model.plan.Split;
import painters.model.plan.Variant;
import painters.model.tokenizer.HfTokenizer;

/** Fine-tuning BGE-small on a tiny WordNet task: step 0, learning, resume, divergence, untying. */
class FineTunerTest {

    @TempDir
    static Path dir;
    static BertModel m;
    static TaskData data;
    static final Split SPLIT = new Split(12, 4);                        // F = 0..4, M = 5..7, L = 8..11
    static final LayerPlan SKIP = Variant.SKIP.plan(SPLIT, 0, 3);

    @BeforeAll
    static void setUp() throws Exception {
        m = BertLoader.defaultModel();
        Path spec = dir.resolve("wn-tiny.json");
        Files.writeString(spec, """
                {"name": "wn-tiny", "version": 1, "kind": "classification", "format": "wordnet",
                 "splits": {"train": "train", "test": "test"}, "eval": "test",
                 "text": ["definition"], "label": "lexname",
                 "labels": ["noun.animal", "noun.food", "noun.plant", "noun.person"],
                 "metrics": ["accuracy"], "chance": 0.25,
                 "params": {"generator": "lexname", "seed": "1", "perClassTrain": "12", "perClassTest": "8"}}
                """);
        data = TaskData.load(TaskSpecs.load(spec.toString(), null));
    }

    static FineTuneConfig cfg(String policy, int steps, double lr, int checkpointEvery, boolean untie) {
        return new FineTuneConfig(lr, 1, "linear", steps, 8, 2, 1.0, 0.01, 7, 2, Double.NaN, checkpointEvery, untie,
                UnfreezePolicy.parse(policy), 0, 32);
    }

    @Test
    void stepZeroIsTheFrozenProtocolScoreAndTrainingChangesTheModel() throws Exception {
        TrainingLoop.Result r = new FineTuner(m, data, SKIP, SPLIT, cfg("adjacent", 4, 1e-4, 0, false)).run(null);
        TaskScore frozen;
        try (HfTokenizer tok = m.tokenizer().withMaxLength(32)) {
            frozen = TaskEvaluator.evaluate(data, new Featurizer(BertEncoder.of(m.weights(), SKIP), tok, m.pooling(), 8),
                    HeadConfig.frozenProtocol(7), 0);
        }
        assertEquals(frozen.primaryValue(), r.curve().get(0).primary(), 1e-9, "step 0 = frozen linear probe");
        assertEquals(frozen.stderrOf(frozen.primary()), r.curve().get(0).stderr().get(frozen.primary()), 1e-9,
                "and its item error is the frozen evaluation's");
        assertEquals(List.of(0, 2, 4), r.curve().stream().map(CurvePoint::step).toList());
        assertEquals(4 * 16, r.last().examples(), "4 steps x 2 micro-batches x 8");
        assertTrue(r.last().tokens() > r.last().examples());
        // head (384 x 4 + 4) + blocks 4 and 8, next to M (1,774,464 parameters each)
        assertEquals(384 * 4 + 4 + 2 * 1_774_464L, r.trainableParameters());
        assertTrue(Double.isFinite(r.last().loss()));
    }

    @Test
    void aKilledRunResumesToTheSameCurve() throws Exception {
        FineTuneConfig c = cfg("middle", 4, 1e-4, 1, false);
        LayerPlan plan = Variant.REVERSE.plan(SPLIT, 0, 3);
        TrainingLoop.Result whole = new FineTuner(m, data, plan, SPLIT, c).run(dir.resolve("ck-whole"));
        FineTuner crashing = new FineTuner(m, data, plan, SPLIT, c);
        crashing.crashAfter(3);
        Path ck = dir.resolve("ck-resumed");
        assertThrows(IllegalStateException.class, () -> crashing.run(ck));
        assertEquals(3, Checkpoints.load(ck).step());
        TrainingLoop.Result resumed = new FineTuner(m, data, plan, SPLIT, c).run(ck);
        assertEquals(3, resumed.resumedFrom());
        assertEquals(whole.curve().size(), resumed.curve().size());
        for (int i = 0; i < whole.curve().size(); i++) {
            assertEquals(whole.curve().get(i).primary(), resumed.curve().get(i).primary(), "point " + i);
            assertEquals(whole.curve().get(i).loss(), resumed.curve().get(i).loss(), 1e-6, "loss at point " + i);
            assertEquals(whole.curve().get(i).stderr(), resumed.curve().get(i).stderr(), "errors at point " + i);
        }
        var a = Checkpoints.load(dir.resolve("ck-whole")).params();
        var b = Checkpoints.load(ck).params();
        for (var e : a.entrySet()) {
            assertTrue(e.getValue().equalsWithEps(b.get(e.getKey()), 1e-6), e.getKey());
        }
        // another run's folder is refused
        assertThrows(IllegalArgumentException.class,
                () -> new FineTuner(m, data, plan, SPLIT, cfg("middle", 4, 2e-4, 1, false)).run(ck));
    }

    @Test
    void divergenceStopsTheRunAndKeepsTheLastGoodCheckpoint() throws Exception {
        Path ck = dir.resolve("ck-nan");
        FineTuner t = new FineTuner(m, data, SKIP, SPLIT, new FineTuneConfig(1e30, 0, "constant", 6, 8, 1, 0, 0, 7, 1,
                Double.NaN, 1, false, UnfreezePolicy.parse("adjacent"), 0, 32));
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> t.run(ck));
        assertTrue(e.getMessage().contains("not finite") || e.getMessage().contains("loss NaN"), e.getMessage());
        assertTrue(e.getMessage().contains(Checkpoints.latest(ck).toString()), "names the checkpoint it kept");
        Checkpoints.State last = Checkpoints.load(ck);
        assertNotNull(last);
        assertTrue(last.step() >= 1 && e.getMessage().contains("at step " + (last.step() + 1)), e.getMessage());
    }

    @Test
    void loraTrainsOnlyAdaptersAndStartsFromTheFrozenModel() throws Exception {
        TrainingLoop.Result r = new FineTuner(m, data, SKIP, SPLIT, cfg("lora:4", 4, 1e-3, 0, false)).run(null);
        // adapters on q and v of the 9 blocks the plan runs (5..7 skipped): A 4x384 + B 384x4 each
        assertEquals(384 * 4 + 4 + 9 * 2 * (4 * 384 + 384 * 4), r.trainableParameters());
        TrainingLoop.Result headOnly = new FineTuner(m, data, SKIP, SPLIT, cfg("head", 4, 1e-3, 0, false)).run(null);
        assertEquals(headOnly.curve().get(0).primary(), r.curve().get(0).primary(), 1e-12, "B = 0: step 0 unchanged");
        double moved = Math.abs(headOnly.last().loss() - r.last().loss());
        assertTrue(moved > 1e-4 * Math.abs(headOnly.last().loss()), "the adapters change the training: " + moved);
    }

    @Test
    void untyingGivesEachUseOfARepeatedBlockItsOwnWeights() throws Exception {
        LayerPlan repeat = Variant.MIDDLE_REPEAT.plan(SPLIT, 0, 3);       // block 6 run three times
        long tied = new FineTuner(m, data, repeat, SPLIT, cfg("middle", 1, 1e-4, 0, false)).run(null).trainableParameters();
        long untied = new FineTuner(m, data, repeat, SPLIT, cfg("middle", 1, 1e-4, 0, true)).run(null).trainableParameters();
        assertEquals(384 * 4 + 4 + 1_774_464L, tied, "block 6 only: blocks 5 and 7 are in M but the plan never runs them");
        assertEquals(tied + 2 * 1_774_464L, untied, "plus copies of block 6 for its second and third use");
    }
}
