package painters.distributed;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.resource.ResourceInformation;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import painters.model.Backend;
import painters.model.ModelFormatException;
import painters.model.UserInputException;
import painters.study.Share;
import painters.study.ShareComputer;
import painters.study.SparkSettings;
import painters.study.StudyEngine;
import painters.study.StudyJob;
import painters.study.StudyKind;
import painters.study.Unit;
import painters.training.TrainingDivergedException;

/**
 * The {@code spark} engine: a study's units fanned out on Apache Spark. The driver (this process) cuts the
 * units into shares ({@link StudyKind#shares}: a grid keeps plans that share prefixes together), submits one
 * Spark job per share, and as each job finishes stores its rows through the study's sink, which takes a key
 * once: a task Spark retries, an executor it loses or a driver restarted on the same folder never duplicates
 * or loses a cell. An executor loads the model once per process ({@link ShareComputer}) and computes its
 * share with {@code spark.taskCpus} threads (and the GPU Spark gives the task, if any). Nothing but the driver
 * writes to the study folder, except the checkpoints of fine-tuning runs.
 */
public final class SparkEngine implements StudyEngine {

    public static final String NAME = "spark";

    private static final Logger log = LoggerFactory.getLogger(SparkEngine.class);

    /**
     * Called on the executor with the task's attempt number and each key as its share computes it (tests
     * inject a failure part-way through a task with it); nothing by default.
     */
    static volatile BiConsumer<Integer, Share.KeyRows> onKey = (attempt, key) -> { };

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(StudyJob job) throws IOException {
        SparkConf conf = conf(job.spec().spark(), "painters " + job.spec().name());
        try (JavaSparkContext sc = start(conf)) {
            sc.setLogLevel("WARN");
            int slots = Math.max(1, sc.defaultParallelism() / job.spec().spark().taskCpus());
            log.info("spark engine: master {}, {} task slot(s) of {} core(s) each", sc.master(), slots,
                    job.spec().spark().taskCpus());
            drive(sc, job, slots);
        }
    }

    /**
     * A Spark context for {@code conf}; a master Spark cannot start (a bad URL, an unreachable cluster) is the user's
     * setting, named in one line.
     */
    static JavaSparkContext start(SparkConf conf) {
        try {
            return new JavaSparkContext(conf);
        } catch (Exception e) {                                     // SparkException is checked, thrown from Scala
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String why = String.valueOf(root.getMessage()).lines().findFirst().orElse(root.toString());
            throw new UserInputException("spark.master \"" + conf.get("spark.master", "") + "\": Spark "
                    + "could not start (" + why + "); check the master URL (local[N], spark://host:port, yarn, "
                    + "k8s://...) or run without --engine=spark", e);
        }
    }

    /**
     * The Spark settings of a study: the master from spark-submit, else the spec's (else {@code local[*]}); a
     * local master gets Spark's task retries too ({@code local[N,F]}); each task's cores; executors' heap,
     * ND4J off-heap limit and OpenMP threads; then {@code spark.conf} as given.
     */
    static SparkConf conf(SparkSettings s, String appName) {
        SparkConf conf = new SparkConf().setAppName(appName);
        if (!conf.contains("spark.master")) {
            conf.setMaster(s.master().isEmpty() ? "local[*]" : s.master());
        }
        String master = conf.get("spark.master");
        Matcher local = Pattern.compile("local\\[(\\d+|\\*)]").matcher(master);
        if (local.matches() && s.maxFailures() > 1) {
            conf.setMaster("local[" + local.group(1) + "," + s.maxFailures() + "]");
        } else if (master.equals("local") && s.maxFailures() > 1) {
            conf.setMaster("local[1," + s.maxFailures() + "]");
        }
        conf.set("spark.task.cpus", Integer.toString(s.taskCpus()));
        conf.set("spark.task.maxFailures", Integer.toString(s.maxFailures()));
        conf.set("spark.executorEnv.OMP_NUM_THREADS", Integer.toString(s.taskCpus()));
        if (!s.executorMemory().isEmpty()) {
            conf.set("spark.executor.memory", s.executorMemory());
        }
        if (!s.executorOffHeap().isEmpty()) {
            String opts = conf.get("spark.executor.extraJavaOptions", "");
            conf.set("spark.executor.extraJavaOptions", (opts + " -Dorg.bytedeco.javacpp.maxbytes=" + s.executorOffHeap()
                    + " -Dorg.bytedeco.javacpp.maxphysicalbytes=" + s.executorOffHeap()).strip());
        }
        if (conf.get("spark.master").startsWith("local")) {
            conf.set("spark.ui.enabled", "false");          // no web UI on all interfaces for a run in this process
        }
        s.conf().forEach(conf::set);                        // the study's own settings win
        return conf;
    }

    /** Hands out units, submits shares, stores results as jobs finish; the first failed job fails the study. */
    private static void drive(JavaSparkContext sc, StudyJob job, int slots) throws IOException {
        StudyKind.Units units = job.units();
        List<JavaFutureAction<List<List<Share.KeyRows>>>> inFlight = new ArrayList<>();
        int next = 0;
        boolean exhausted = false;
        try {
            while (true) {
                if (!exhausted) {
                    List<Unit> batch = new ArrayList<>();
                    int window = units.listed() ? Integer.MAX_VALUE : Math.max(0, 2 * slots - inFlight.size());
                    while (batch.size() < window) {
                        if (units.nextWaits() && (!inFlight.isEmpty() || !batch.isEmpty())) {
                            break;
                        }
                        Unit u = units.next();
                        if (u == null) {
                            exhausted = true;
                            break;
                        }
                        batch.add(u);
                    }
                    for (List<Unit> part : batch.isEmpty() ? List.<List<Unit>>of() : job.kind().shares(batch, slots)) {
                        Share share = job.share(next++, part);
                        sc.setJobDescription("share " + share.index() + ": " + part.size() + " unit(s), " + part.get(0).label());
                        inFlight.add(sc.parallelize(List.of(share), 1).map(SparkEngine::compute).collectAsync());
                    }
                }
                if (inFlight.isEmpty()) {
                    if (exhausted) {
                        return;
                    }
                    continue;
                }
                JavaFutureAction<List<List<Share.KeyRows>>> done = waitForOne(inFlight);
                inFlight.remove(done);
                for (List<Share.KeyRows> part : done.get()) {
                    for (Share.KeyRows k : part) {
                        if (!job.store(k)) {
                            log.info("spark engine: {} was already stored; this copy is dropped", k.key());
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw failure(e);
        } finally {
            inFlight.forEach(f -> f.cancel(true));
        }
    }

    private static <T extends Future<?>> T waitForOne(List<T> futures) throws InterruptedException {
        while (true) {
            for (T f : futures) {
                if (f.isDone()) {
                    return f;
                }
            }
            Thread.sleep(100);
        }
    }

    /**
     * A failed job as the executor's own failure where Spark hands it back (its cause chain): input the user gave, a
     * bad checkpoint or a diverged run keep their type and message, so the command reports them as the local engine
     * does; anything else is an internal error carrying the executor's first line.
     */
    static RuntimeException failure(ExecutionException e) {
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof UserInputException || t instanceof ModelFormatException
                    || t instanceof TrainingDivergedException) {
                return (RuntimeException) t;
            }
        }
        Throwable c = e.getCause();
        String msg = c == null ? String.valueOf(e) : c.getMessage();
        if (msg != null) {
            // "Job aborted due to stage failure: Task 0 in stage 3.0 failed 4 times, most recent failure: ...: <cause>"
            int at = msg.indexOf("\n");
            msg = at > 0 ? msg.substring(0, at) : msg;
        }
        return new IllegalStateException("spark engine: a share failed: " + msg, c);
    }

    /** On the executor: one share, with the task's cores (and GPU, if Spark gave it one). */
    static List<Share.KeyRows> compute(Share share) throws IOException {
        TaskContext tc = TaskContext.get();
        int attempt = tc == null ? 0 : tc.attemptNumber();
        if (tc != null) {
            Backend.setThreads(tc.cpus());
            scala.Option<ResourceInformation> gpu = tc.resources().get("gpu");
            if (gpu.isDefined() && gpu.get().addresses().length > 0) {
                Nd4j.getAffinityManager().unsafeSetDevice(Integer.parseInt(gpu.get().addresses()[0]));
            }
        }
        return ShareComputer.compute(share, k -> onKey.accept(attempt, k));
    }
}
