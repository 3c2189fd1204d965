package painters.model;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the numbers were computed on: ND4J backend, DL4J version, threads, JVM and OS. Recorded with
 * every result and printed by the CLI.
 *
 * @param backend   ND4J backend class (CpuBackend / CudaBackend)
 * @param dl4j      DL4J/ND4J version
 * @param threads   ND4J's max threads
 * @param blas      BLAS vendor as ND4J reports it, with OPENBLAS_CORETYPE when one is forced
 * @param jvm       java.vm.name + version
 * @param os        os.name os.arch
 */
public record Backend(String backend, String dl4j, int threads, String blas, String jvm, String os) {

    public static Backend current() {
        String backend = Nd4j.getBackend().getClass().getSimpleName();
        String blas;
        try {
            blas = Nd4j.factory().blas().getBlasVendor().toString();
            String core = System.getenv("OPENBLAS_CORETYPE");
            if (core != null && !core.isBlank()) {
                blas += " core " + core;
            }
        } catch (RuntimeException e) {
            blas = "unknown";
        }
        return new Backend(backend, dl4jVersion(), Nd4j.getEnvironment().maxThreads(), blas,
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    }

    /** The nd4j-api version on the classpath, read from its Maven metadata. */
    public static String dl4jVersion() {
        try (InputStream in = Nd4j.class.getResourceAsStream("/META-INF/maven/org.nd4j/nd4j-api/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // fall through
        }
        String v = Nd4j.class.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }

    /**
     * ND4J's threads as this process started with them (its environment: {@code OMP_NUM_THREADS}, else the cores),
     * before any {@link #setThreads}: the budget an engine divides among its workers.
     */
    public static int startupThreads() {
        return Startup.THREADS;
    }

    private static final class Startup {
        static final int THREADS = Math.max(1, Nd4j.getEnvironment().maxThreads());
    }

    /**
     * Sets the threads ND4J (OpenMP) and its BLAS may use. The setting is process-wide: an engine sets it from its
     * run's settings before computing, so a run's thread count never depends on what ran before it in the process.
     */
    public static void setThreads(int threads) {
        if (threads < 1) {
            throw new UserInputException("threads must be >= 1, got " + threads);
        }
        startupThreads();                                   // captured before the first change
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }

    @Override
    public String toString() {
        return backend + " (DL4J " + dl4j + ", " + threads + " threads, BLAS " + blas + "), " + jvm + ", " + os;
    }
}
