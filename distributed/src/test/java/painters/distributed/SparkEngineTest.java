package painters.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import painters.model.Backend;
import painters.results.ResultRow;
import painters.results.Results;
import painters.results.ResultsStore;
import painters.study.StudyRunner;
import painters.study.StudySpec;
import painters.study.StudySpecs;

/**
 * Studies on Spark in local mode ({@code local[2]}: a driver and two task slots in this JVM) against the local
 * runner on the same spec: the same rows with the same values, every key stored once even when Spark retries a
 * task that failed part-way through its share, and a rerun on the same folder computes nothing. On stories260K
 * (a real Llama-architecture checkpoint small enough for a test): a frozen grid, a recovery study and a sweep.
 */
class SparkEngineTest {

    /** The shared data folder (stories260K, its tasks, Tiny Shakespeare). */
    static final Path data = Path.of(System.getProperty("painters.shared", "../shared"), "data").toAbsolutePath().normalize();
    static final Path model = data.resolve("models/stories260K/stories260K.bin");

    @TempDir
    static Path dir;
    /** The fine-tuning corpus of the recovery study and the sweep: the first 8,000 characters of Tiny Shakespeare. */
    static Path text;

    @BeforeAll
    static void needsStories260K() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(model), "skipped: stories260K not found at " + model);
        text = Files.writeString(dir.resolve("corpus.txt"),
                Files.readString(data.resolve("tinyshakespeare/input.txt")).substring(0, 8_000));
    }

    @AfterEach
    void noFaults() {
        SparkEngine.onKey = (attempt, key) -> { };
    }

    /** {@code json} (a study object) run by {@code engine}; Spark in local mode with two slots and a retry. */
    private static StudySpec spec(String json, String engine) {
        return StudySpecs.fromJson(json.substring(0, json.length() - 1) + ", \"engine\": \"" + engine
                + "\", \"spark\": {\"master\": \"local[2]\", \"maxFailures\": 2}}", "test");
    }

    private static String grid(String name) {
        return "{\"name\": \"" + name + "\", \"model\": \"" + model + "\", \"data\": \"" + data + "\", \"tasks\": "
                + "[\"lambada\", \"winogrande\"], \"limit\": 12, \"bos\": true, \"variants\": [\"skip\", \"parallel\", "
                + "\"looped-parallel\", \"random\"], \"seeds\": 2, \"cossim\": false}";
    }

    /**
     * The reproducibility contract's bound across engines and thread counts: real-valued metrics (perplexities,
     * losses, standard errors) agree within this relative difference; counts and accuracies exactly.
     */
    static final double FROZEN_REL = 1e-5;
    /** The same bound for scores after fine-tuning steps (each step's update carries the forward's rounding on). */
    static final double TRAINED_REL = 1e-4;

    /** One measured row: its plan, value, standard error and items. */
    record Measured(String plan, String metric, boolean trained, double value, double stderr, int n) {}

    /** Each key's rows (cell, task, metric, step): what a study measured, provenance aside. */
    private static Map<String, Measured> measured(Path studyDir) throws Exception {
        Map<String, Measured> out = new TreeMap<>();
        for (ResultRow r : Results.read(studyDir.resolve(Results.FILE))) {
            String k = r.cell() + " | " + r.score().task() + " " + r.score().metric()
                    + (r.training() != null ? " step " + r.training().step() : "");
            Measured v = new Measured(r.plan().plan(), r.score().metric(), r.training() != null, r.score().value(),
                    r.score().stderr(), r.score().n());
            Measured prev = out.put(k, v);
            assertEquals(null, prev, "one row per key, task, metric and step: " + k);
        }
        return out;
    }

    /** Whether a metric is a proportion of items (exact across engines and thread counts). */
    static boolean counted(String metric) {
        return metric.startsWith("acc") || metric.equals("accuracy");
    }

    /**
     * Asserts the contract between two runs of one study on different engines or thread counts: the same keys,
     * plans and items; accuracies equal; real values within {@link #FROZEN_REL} ({@link #TRAINED_REL} after
     * training steps). Returns the largest relative difference seen.
     */
    static double assertAgree(Map<String, Measured> a, Map<String, Measured> b) {
        assertEquals(a.keySet(), b.keySet());
        double worst = 0;
        for (Map.Entry<String, Measured> e : a.entrySet()) {
            Measured x = e.getValue();
            Measured y = b.get(e.getKey());
            assertEquals(x.plan(), y.plan(), e.getKey());
            assertEquals(x.n(), y.n(), e.getKey());
            if (counted(x.metric())) {
                assertEquals(x.value(), y.value(), 0.0, e.getKey() + ": an accuracy is exact");
                continue;
            }
            double tol = x.trained() ? TRAINED_REL : FROZEN_REL;
            for (double[] v : new double[][] {{x.value(), y.value()}, {x.stderr(), y.stderr()}}) {
                if (Double.compare(v[0], v[1]) == 0) {
                    continue;                                 // equal, or both NaN (no standard error)
                }
                double rel = Math.abs(v[0] - v[1]) / Math.max(Math.abs(v[0]), Double.MIN_NORMAL);
                worst = Math.max(worst, rel);
                assertTrue(rel <= tol, e.getKey() + ": " + v[0] + " vs " + v[1] + " (relative " + rel + " > " + tol + ")");
            }
        }
        return worst;
    }

    /**
     * The contract: the local runner (one worker with the startup threads) and Spark (one thread per task) agree
     * within the stated bound; the same engine with the same settings, run again, gives bit-identical rows.
     */
    @Test
    void aGridOnSparkGivesTheLocalRunnersRowsAndResumesToNothing() throws Exception {
        StudyRunner.Outcome local = StudyRunner.run(spec(grid("grid"), "local"), dir.resolve("local"));
        StudyRunner.Outcome spark = StudyRunner.run(spec(grid("grid"), "spark"), dir.resolve("spark"));
        assertEquals(local.cells(), spark.cells());
        assertEquals(local.computed(), spark.computed());
        Map<String, Measured> a = measured(local.dir());
        assertTrue(a.size() >= 2 * (1 + 4 * 2), "rows for every cell: " + a.size());
        double worst = assertAgree(a, measured(spark.dir()));
        System.out.printf("[contract] grid: local (%d threads) vs Spark (1 per task): largest relative difference %.2e%n",
                Backend.startupThreads(), worst);
        StudyRunner.Outcome again = StudyRunner.run(spec(grid("grid"), "local"), dir.resolve("local-again"));
        assertEquals(a, measured(again.dir()), "the same engine and threads: bit-identical rows");
        // the same summary; its rows follow the order cells were stored in, which parallel workers leave open
        assertEquals(Files.readAllLines(local.dir().resolve("summary/cells.csv")).stream().sorted().toList(),
                Files.readAllLines(spark.dir().resolve("summary/cells.csv")).stream().sorted().toList());
        assertTrue(Files.exists(spark.dir().resolve("report.md")));
        assertEquals(0, StudyRunner.run(spec(grid("grid"), "spark"), dir.resolve("spark")).computed(),
                "a rerun on the same folder computes nothing");
    }

    @Test
    void aTaskThatFailsPartWayIsRetriedAndEveryKeyIsStoredOnce() throws Exception {
        AtomicInteger injected = new AtomicInteger();
        SparkEngine.onKey = (attempt, key) -> {
            if (attempt == 0 && injected.get() == 0 && injected.compareAndSet(0, 1)) {
                throw new IllegalStateException("injected: task killed after computing " + key.key());
            }
        };
        StudyRunner.Outcome spark = StudyRunner.run(spec(grid("retry"), "spark"), dir.resolve("retry"));
        assertEquals(1, injected.get(), "one task failed part-way");
        List<String> lines = ResultsStore.readRows(spark.dir().resolve(Results.FILE));
        Map<String, Integer> rowsPerKey = new TreeMap<>();
        for (ResultRow r : Results.read(spark.dir().resolve(Results.FILE))) {
            rowsPerKey.merge(r.cell(), 1, Integer::sum);
        }
        assertEquals(spark.cells(), rowsPerKey.size(), "every cell stored");
        // the store writes each key's rows once: measured() refuses a (key, metric) seen twice
        Map<String, Measured> retried = measured(spark.dir());
        assertEquals(lines.size(), retried.size());
        StudyRunner.Outcome local = StudyRunner.run(spec(grid("retry"), "local"), dir.resolve("retry-local"));
        assertAgree(measured(local.dir()), retried);
    }

    @Test
    void recoveryRunsAndSweepCandidatesAreUnitsOnSparkToo() throws Exception {
        String recovery = "{\"name\": \"rec\", \"model\": \"" + model + "\", \"data\": \"" + data + "\", "
                + "\"tasks\": [\"lambada\"], \"limit\": 8, \"bos\": true, \"variants\": [\"skip\"], \"splits\": [1], "
                + "\"maxLength\": 48, \"batchSize\": 8, \"cossim\": false, \"finetune\": {\"data\": \"" + text + "\", "
                + "\"policies\": [\"all\"], \"steps\": 2, \"evalEvery\": 1, \"batchSize\": 8, \"learningRate\": 0.003}}";
        StudyRunner.Outcome rl = StudyRunner.run(spec(recovery, "local"), dir.resolve("rec-local"));
        StudyRunner.Outcome rs = StudyRunner.run(spec(recovery, "spark"), dir.resolve("rec-spark"));
        assertEquals(2, rs.computed(), "full and skip, each a fine-tuning run");
        System.out.printf("[contract] recovery: largest relative difference %.2e%n",
                assertAgree(measured(rl.dir()), measured(rs.dir())));

        String sweep = "{\"name\": \"sw\", \"model\": \"" + model + "\", \"data\": \"" + data + "\", "
                + "\"tasks\": [\"lambada\"], \"limit\": 8, \"bos\": true, \"variants\": [\"skip\"], \"splits\": [1], "
                + "\"maxLength\": 48, \"cossim\": false, \"finetune\": {\"data\": \"" + text + "\", \"policies\": [\"all\"], "
                + "\"steps\": 1, \"evalEvery\": 1, \"batchSize\": 8}, \"sweep\": {\"space\": {\"policy\": [\"adjacent\", "
                + "\"lora:2:q,k,v,o,gate,up,down\", \"all\"]}, \"validation\": 0.25}}";
        StudyRunner.Outcome sl = StudyRunner.run(spec(sweep, "local"), dir.resolve("sw-local"));
        StudyRunner.Outcome ss = StudyRunner.run(spec(sweep, "spark"), dir.resolve("sw-spark"));
        assertEquals(4, ss.computed(), "three candidates, then the best one on the held-out windows");
        System.out.printf("[contract] sweep: largest relative difference %.2e%n",
                assertAgree(measured(sl.dir()), measured(ss.dir())));
        assertEquals(Files.readString(sl.dir().resolve("best.study.json")), Files.readString(ss.dir().resolve("best.study.json")),
                "the same best candidate");
    }
}
