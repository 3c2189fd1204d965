package painters.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import painters.model.UserInputException;
import painters.model.graph.Gradients;
import painters.study.finetune.FineTuning;
import painters.study.grid.StudyFigures;
import painters.study.grid.StudyTable;
import painters.study.router.RouterSettings;
import painters.study.search.SearchSettings;
import painters.training.UnfreezePolicy;

class StudySpecsTest {

    @Test
    void defaultStudyExpandsToTheFullGrid(@TempDir Path dir) {
        StudySpec s = StudySpecs.load(Path.of(System.getProperty("painters.root", "..")).resolve("studies/default.json"),
                List.of());
        assertEquals("default", s.name());
        // per task: the full model + 6 splits x (5 variants + 10 random seeds), + 4 further head seeds of the
        // full model (seedSpread 5)
        assertEquals(2 * (1 + 6 * (5 + 10) + 4), StudyCells.of(s, 12).size());
        long keys = StudyCells.of(s, 12).stream().map(Cell::key).distinct().count();
        assertEquals(StudyCells.of(s, 12).size(), keys, "cell keys are unique");
    }

    @Test
    void overridesReplaceValuesAndListsAreCommaSeparated(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("s.json");
        Files.writeString(f, "{\"name\": \"x\", \"seeds\": 10}");
        StudySpec s = StudySpecs.load(f, List.of("--seeds=2", "--tasks=wn-lexname", "--splits=3,5", "cossim=false"));
        assertEquals(2, s.seeds());
        assertEquals(List.of("wn-lexname"), s.tasks());
        assertEquals(List.of(3, 5), s.splits());
        assertTrue(!s.cossim());
        // the resolved spec is written as JSON that reads back to the same spec
        Path back = dir.resolve("resolved.json");
        Files.writeString(back, StudySpecs.toJson(s));
        assertEquals(s, StudySpecs.load(back, List.of()));
        assertTrue(JsonParser.parseString(StudySpecs.toJson(s)).getAsJsonObject().has("headSeeds"));
    }

    @Test
    void unknownKeysAreErrors(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("s.json");
        Files.writeString(f, "{\"name\": \"x\", \"seed\": 3}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StudySpecs.load(f, List.of()));
        assertTrue(e.getMessage().contains("unknown key \"seed\""), e.getMessage());
        Files.writeString(f, "{\"name\": \"x\"}");
        e = assertThrows(IllegalArgumentException.class, () -> StudySpecs.load(f, List.of("--sedes=3")));
        assertTrue(e.getMessage().contains("unknown study key \"sedes\""), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StudySpecs.load(f, List.of("--cossim=maybe")));
        assertTrue(e.getMessage().contains("true or false"), e.getMessage());
    }

    @Test
    void loopGridAddsEveryRAtEverySplit(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("s.json");
        Files.writeString(f, "{\"name\": \"x\", \"variants\": [], \"tasks\": [\"wn-lexname\"], \"loopGrid\": 4}");
        List<Cell> cells = StudyCells.of(StudySpecs.load(f, List.of()), 12);
        assertEquals(1 + 6 * 4, cells.size(), "full + 6 splits x R = 1..4");
        Cell c = cells.stream().filter(x -> Objects.equals(x.loops(), 4) && Objects.equals(x.split(), 2)).findFirst().orElseThrow();
        assertEquals("0-2,P(3-9)x4,10-11", c.plan().print());
        assertEquals(7, c.affected());
    }

    @Test
    void bestLoopCountPerWidthAndClaimSeven() {
        List<StudyTable.GridPoint> g = List.of(
                new StudyTable.GridPoint(1, 1, 0.9), new StudyTable.GridPoint(1, 2, 0.8),
                new StudyTable.GridPoint(3, 1, 0.5), new StudyTable.GridPoint(3, 2, 0.7), new StudyTable.GridPoint(3, 3, 0.6),
                new StudyTable.GridPoint(5, 2, 0.4), new StudyTable.GridPoint(5, 3, 0.6));
        assertEquals(Map.of(1, 1, 3, 2, 5, 3), StudyFigures.bestLoops(g));
    }

    @Test
    void cellKeysKeepTheirFormatSoStoredResultsResume() {
        // results files written by earlier versions must keep resuming: this format is part of the store
        StudySpec s = StudySpecs.load(Path.of(System.getProperty("painters.root", "..")).resolve("studies/default.json"),
                List.of());
        List<String> keys = StudyCells.of(s, 12).stream().map(Cell::key).toList();
        assertTrue(keys.contains("looped-parallel|s4|seed-1|L-1|0-4,P(5-7)x3,8-11|wn-lexname|h0"), keys.get(0));
        // a random plan's key pins its permutation: the seed's shuffle must never change, or stored cells go stale
        assertEquals("random|s3|seed9|L-1|0-4,6-7,5,8-11;seed=9|wn-shuffle|h0", keys.stream().filter(k -> k.startsWith("random|s3|seed9|")
                && k.endsWith("|wn-shuffle|h0")).findFirst().orElseThrow());
        assertEquals("full|s-1|seed-1|L-1|0-11|wn-lexname|h0", keys.get(0));
    }

    @Test
    void planOverridesKeepTheirCommasAndRepeat(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("s.json");
        Files.writeString(f, "{\"name\": \"x\", \"plans\": [\"0-11\"]}");
        StudySpec one = StudySpecs.load(f, List.of("--plans=0-3,P(4-8)x3,9-11"));
        assertEquals(List.of("0-3,P(4-8)x3,9-11"), one.plans(), "one plan, not three fragments");
        StudySpec two = StudySpecs.load(f, List.of("--plans=0-3,P(4-8)x3,9-11", "--plans=0-5,7-11"));
        assertEquals(List.of("0-3,P(4-8)x3,9-11", "0-5,7-11"), two.plans());
        assertEquals(List.of("0-11"), StudySpecs.load(f, List.of()).plans());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StudySpecs.load(f, List.of("--splits=3", "--splits=5")));
        assertTrue(e.getMessage().contains("repeats --splits"), e.getMessage());
    }

    @Test
    void numbersMustBeWholeWhereCountsAreMeantAndErrorsNameTheKey(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("s.json");
        for (String[] bad : new String[][] {{"\"seeds\": 1.7", "\"seeds\" must be an integer, got 1.7"},
                {"\"seeds\": \"ten\"", "\"seeds\" must be an integer"}, {"\"splits\": [2.5]", "\"splits\""},
                {"\"finetune\": {\"steps\": 2.5}", "\"finetune.steps\" must be an integer"},
                {"\"finetune\": {\"learningRate\": \"fast\"}", "\"finetune.learningRate\" must be a number"},
                {"\"finetune\": {\"gradients\": \"checkpointed\"}", "finetune.gradients must be recompute or whole"}}) {
            Files.writeString(f, "{\"name\": \"x\", " + bad[0] + "}");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StudySpecs.load(f, List.of()),
                    bad[0]);
            assertTrue(e.getMessage().contains(bad[1]), bad[0] + " -> " + e.getMessage());
        }
        Files.writeString(f, "{\"name\": \"x\", \"maxLength\": 1}");
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> StudySpecs.load(f, List.of()));
        assertTrue(range.getMessage().contains("\"maxLength\" must be >= 2, got 1"), range.getMessage());
        Files.writeString(f, "{\"name\": \"x\", \"seeds\": 3.0}");
        assertEquals(3, StudySpecs.load(f, List.of()).seeds(), "3.0 is a whole number");
    }

    @Test
    void dtypeIsCheckedAndSpelledOneWay(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("s.json");
        Files.writeString(f, "{\"name\": \"x\", \"dtype\": \"bfloat16\"}");
        assertEquals("bf16", StudySpecs.load(f, List.of()).dtype());
        assertEquals("fp32", StudySpecs.load(f, List.of("--dtype=float32")).dtype());
        Files.writeString(f, "{\"name\": \"x\", \"dtype\": \"fp8\"}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StudySpecs.load(f, List.of()));
        assertTrue(e.getMessage().contains("s.json") && e.getMessage().contains("unknown dtype \"fp8\""), e.getMessage());
    }

    @Test
    void theEngineAndItsSparkSettingsAreReadCheckedAndWrittenBack(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("s.json");
        Files.writeString(f, "{\"name\": \"x\", \"engine\": \"spark\", \"spark\": {\"taskCpus\": 2, "
                + "\"executorOffHeap\": \"6G\", \"conf\": {\"spark.executor.resource.gpu.amount\": \"1\"}}}");
        StudySpec s = StudySpecs.load(f, List.of("--spark.master=local[3]"));
        assertEquals("spark", s.engine());
        assertEquals("local[3]", s.spark().master());
        assertEquals(2, s.spark().taskCpus());
        assertEquals("6G", s.spark().executorOffHeap());
        assertEquals("1", s.spark().conf().get("spark.executor.resource.gpu.amount"));
        assertEquals(4, s.spark().maxFailures(), "the default");
        assertEquals(s, StudySpecs.fromJson(StudySpecs.toJson(s), "resolved"), "a share's spec reads back the same");
        assertEquals("local", StudySpecs.load(f, List.of("--engine=local")).engine());
        // bad values name the key
        Files.writeString(f, "{\"name\": \"x\", \"spark\": {\"cores\": 2}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StudySpecs.load(f, List.of()));
        assertTrue(e.getMessage().contains("unknown spark key \"cores\""), e.getMessage());
        Files.writeString(f, "{\"name\": \"x\", \"spark\": {\"executorMemory\": \"lots\"}}");
        e = assertThrows(IllegalArgumentException.class, () -> StudySpecs.load(f, List.of()));
        assertTrue(e.getMessage().contains("spark.executorMemory"), e.getMessage());
        Files.writeString(f, "{\"name\": \"x\", \"spark\": {\"conf\": {\"executor.cores\": \"2\"}}}");
        e = assertThrows(IllegalArgumentException.class, () -> StudySpecs.load(f, List.of()));
        assertTrue(e.getMessage().contains("not a Spark setting"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StudySpecs.load(f, List.of("--spark.taskcpus=2")));
        assertTrue(e.getMessage().contains("unknown spark key \"taskcpus\""), e.getMessage());
    }

    /** Without module distributed on the classpath (this module's tests), asking for Spark says how to get it. */
    @Test
    void anEngineThatIsNotOnTheClasspathIsAOneLineError() {
        assertEquals("local", StudyEngine.named("local").name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StudyEngine.named("spark"));
        assertTrue(e.getMessage().contains("module distributed") && !e.getMessage().contains("\n"), e.getMessage());
    }

    /** The gradient method of fine-tuning runs: recompute by default, whole on request; only a change is written. */
    @Test
    void theGradientMethodIsASettingOfTheRunsAndOnlyAChoiceOfWholeIsWritten(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("s.json");
        Files.writeString(f, "{\"name\": \"x\", \"finetune\": {\"steps\": 3}}");
        StudySpec byDefault = StudySpecs.load(f, List.of());
        assertEquals(Gradients.RECOMPUTED, byDefault.settings(FineTuning.class).finetune().config(
                UnfreezePolicy.parse("all"), 0, 64).gradients());
        assertTrue(!byDefault.settings(FineTuning.class).finetune().toJson().has("gradients"), "a folder of the default method keeps its identity");
        StudySpec whole = StudySpecs.load(f, List.of("--finetune.gradients=whole"));
        assertEquals(Gradients.WHOLE, whole.settings(FineTuning.class).finetune().config(
                UnfreezePolicy.parse("all"), 0, 64).gradients());
        assertEquals("whole", whole.settings(FineTuning.class).finetune().toJson().get("gradients").getAsString());
        assertEquals(whole, StudySpecs.fromJson(StudySpecs.toJson(whole), "resolved"));
    }

    @Test
    void aSearchIsReadCheckedAndOverriddenLikeTheOtherObjects(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("s.json");
        Files.writeString(f, "{\"name\": \"x\", \"search\": {\"generator\": \"random\", \"maxDepth\": 9}}");
        StudySpec s = StudySpecs.load(f, List.of("--search.candidates=7"));
        assertEquals("random", s.settings(SearchSettings.class).generator());
        assertEquals(9, s.settings(SearchSettings.class).maxDepth());
        assertEquals(7, s.settings(SearchSettings.class).candidates());
        assertEquals(0.25, s.settings(SearchSettings.class).validation(), "the default");
        assertEquals(s, StudySpecs.fromJson(StudySpecs.toJson(s), "resolved"));
        // no penalty (the default): the identity a search folder had before the key existed; a penalty is in it
        assertEquals(0.0, s.settings(SearchSettings.class).penalty());
        assertTrue(!s.settings(SearchSettings.class).toJson().has("penalty"), s.settings(SearchSettings.class).toJson().toString());
        assertTrue(!s.settings(SearchSettings.class).toJson().has("repair"), s.settings(SearchSettings.class).toJson().toString());
        StudySpec costAware = StudySpecs.load(f, List.of("--search.penalty=0.01", "--search.repair=true"));
        assertEquals(0.01, costAware.settings(SearchSettings.class).toJson().get("penalty").getAsDouble());
        assertTrue(costAware.settings(SearchSettings.class).toJson().get("repair").getAsBoolean());
        assertEquals(costAware, StudySpecs.fromJson(StudySpecs.toJson(costAware), "resolved"));
        for (String[] bad : new String[][] {{"{\"generator\": \"annealing\"}", "genetic or random"},
                {"{\"depth\": 3}", "unknown search key \"depth\""}, {"{\"validation\": 1.5}", "search.validation"},
                {"{\"penalty\": -1}", "search.penalty"}}) {
            Files.writeString(f, "{\"name\": \"x\", \"search\": " + bad[0] + "}");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StudySpecs.load(f, List.of()));
            assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
        }
        Files.writeString(f, "{\"name\": \"x\", \"search\": {}, \"finetune\": {}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StudySpecs.load(f, List.of()));
        assertTrue(e.getMessage().contains("frozen plans"), e.getMessage());
    }

    @Test
    void aRouterIsReadCheckedAndOverriddenLikeTheOtherObjects(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("r.json");
        Files.writeString(f, "{\"name\": \"x\", \"router\": {\"plans\": [\"0-11\", \"0-3,9-11\"], \"context\": 8}}");
        StudySpec s = StudySpecs.load(f, List.of("--router.penalties=0,0.5", "--router.folds=4"));
        assertEquals(List.of(0.0, 0.5), s.settings(RouterSettings.class).penalties());
        assertEquals(List.of("0-11", "0-3,9-11"), s.settings(RouterSettings.class).plans());
        assertEquals(8, s.settings(RouterSettings.class).context());
        assertEquals(4, s.settings(RouterSettings.class).folds());
        assertEquals(0.1, s.settings(RouterSettings.class).heldOut(), "the default");
        assertEquals(s, StudySpecs.fromJson(StudySpecs.toJson(s), "resolved"));
        // plans contain commas: an override separates them with ';'
        assertEquals(List.of("0-11", "0-2,10-11"), StudySpecs.load(f, List.of("--router.plans=0-11;0-2,10-11"))
                .settings(RouterSettings.class).plans());
        for (String[] bad : new String[][] {{"{\"penalties\": [-1]}", "router.penalties"},
                {"{\"penalties\": [\"a\"]}", "router.penalties"}, {"{\"gate\": 3}", "unknown router key \"gate\""},
                {"{\"heldOut\": 1}", "router.heldOut"}, {"{\"folds\": 1}", "router.folds must be at least 2"}}) {
            Files.writeString(f, "{\"name\": \"x\", \"router\": " + bad[0] + "}");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StudySpecs.load(f, List.of()));
            assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
        }
        Files.writeString(f, "{\"name\": \"x\", \"router\": {}, \"search\": {}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StudySpecs.load(f, List.of()));
        assertTrue(e.getMessage().contains("routers over frozen plans"), e.getMessage());
    }

    /** A bad router, search or sweep setting is named alone with its rule (not every rule of the object). */
    @Test
    void badSearchRouterAndSweepSettingsNameTheirKey(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("s.json");
        String[][] cases = {
            {"\"router\": {\"folds\": 1}", "router.folds must be at least 2, got 1"},
            {"\"search\": {\"population\": 1}", "search.population must be at least 2, got 1"},
            {"\"finetune\": {}, \"sweep\": {\"space\": {\"learningRate\": {\"min\": 1e-3, \"max\": 1e-5}}}",
                "sweep.space.learningRate: min must be below max"},
            {"\"finetune\": {}, \"sweep\": {\"space\": {\"learningRate\": {\"min\": -1, \"max\": 1, \"log\": true}}}",
                "a log-uniform range needs min > 0, got -1.0"},
            {"\"finetune\": {}, \"sweep\": {\"space\": {\"steps\": {\"int\": [50, 10]}}}",
                "sweep.space.steps.int must be [a, b] with a <= b"},
            {"\"finetune\": {}, \"sweep\": {\"gridPoints\": 1, \"space\": {\"steps\": [1, 2]}}",
                "sweep.gridPoints must be at least 2, got 1"},
        };
        for (String[] c : cases) {
            Files.writeString(f, "{\"name\": \"x\", " + c[0] + "}");
            IllegalArgumentException e = Assertions.assertThrows(
                    UserInputException.class, () -> StudySpecs.load(f, List.of()));
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
    }

    /**
     * Folders written before kinds were registered keep their identity: each published study's resolved spec reads
     * back as the same kind, and the identity lines its kind adds equal the ones stored beside its results.
     */
    @Test
    void publishedStudiesKeepTheirKindAndItsIdentityLines() throws Exception {
        Path root = Path.of(System.getProperty("painters.root", "..")).resolve("results/published");
        int checked = 0;
        try (var dirs = Files.list(root)) {
            for (Path d : dirs.sorted().toList()) {
                StudySpec spec = StudySpecs.fromJson(Files.readString(d.resolve(StudyRunner.SPEC)), d.toString());
                JsonObject stored = JsonParser.parseString(
                        Files.readString(d.resolve("identity.json"))).getAsJsonObject();
                Map<String, String> lines = StudyKinds.identity(spec.kind());
                for (String k : List.of("finetune", "gradients", "sweep", "search", "router")) {
                    assertEquals(stored.has(k) ? stored.get(k).getAsString() : null, lines.get(k), d + ": " + k);
                }
                checked++;
            }
        }
        assertTrue(checked >= 3, "default, router, stories260k-recovery: " + checked);
    }
}
