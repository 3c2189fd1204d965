package painters.model;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Which GPUs the ND4J CUDA build on the classpath can run, and the check every command makes before any
 * kernel runs.
 *
 * <p>The one CUDA backend of DL4J's newest release, {@code org.nd4j:nd4j-cuda-11.6:1.0.0-M2.1}, carries
 * compiled kernels (SASS) for compute capabilities 3.7, 5.0, 5.2, 6.0, 6.1, 7.0, 7.5, 8.0 and 8.6 and no PTX
 * (read from the {@code .nv_fatbin} section of its {@code libnd4jcuda.so}). A GPU runs a kernel compiled
 * for the same major version and a minor version at or below its own (so Ada, 8.9, runs the 8.6 code);
 * without PTX the driver cannot compile for a newer major version, so Hopper (9.0) and Blackwell (10.x,
 * 12.x) fail every launch ("no kernel image is available for execution on the device"). Another CUDA build
 * (a self-built or snapshot CUDA 12 ND4J) is not checked: its kernels are unknown here.
 */
public final class DeviceSupport {

    /** The CUDA artifact whose kernels are listed in {@link #M2_1_CUDA_11_6}. */
    public static final String KNOWN_ARTIFACT = "nd4j-cuda-11.6";
    public static final String KNOWN_VERSION = "1.0.0-M2.1";

    /** Compute capabilities with compiled kernels in nd4j-cuda-11.6 1.0.0-M2.1 (major * 10 + minor). */
    public static final List<Integer> M2_1_CUDA_11_6 = List.of(37, 50, 52, 60, 61, 70, 75, 80, 86);

    /** One GPU as the backend reports it. */
    public record Gpu(int index, String name, int major, int minor, long totalMemory, long freeMemory) {
        public String capability() {
            return major + "." + minor;
        }
    }

    private DeviceSupport() {}

    /**
     * Whether a GPU of compute capability {@code major.minor} can run kernels compiled for {@code compiled}
     * (SASS only, no PTX): some compiled capability has the same major and a minor at or below the GPU's.
     */
    public static boolean runs(List<Integer> compiled, int major, int minor) {
        return compiled.stream().anyMatch(c -> c / 10 == major && c % 10 <= minor);
    }

    /** The GPUs the current backend sees (none on the CPU backend). */
    @SuppressWarnings("unchecked")
    public static List<Gpu> gpus() {
        Properties p = Nd4j.getExecutioner().getEnvironmentInformation();
        Object list = p.get("cuda.devicesInformation");
        List<Gpu> out = new ArrayList<>();
        if (list instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                Map<String, Object> d = (Map<String, Object>) l.get(i);
                out.add(new Gpu(i, String.valueOf(d.get("cuda.deviceName")), number(d.get("cuda.deviceMajor")),
                        number(d.get("cuda.deviceMinor")), longNumber(d.get("cuda.totalMemory")),
                        longNumber(d.get("cuda.freeMemory"))));
            }
        }
        return out;
    }

    /** The CUDA backend artifact and version on the classpath, or null on a CPU build. */
    public static String[] cudaArtifact() {
        for (String a : new String[] {"nd4j-cuda-11.6", "nd4j-cuda-11.8", "nd4j-cuda-12.1", "nd4j-cuda-12.3",
                "nd4j-cuda-12.6", "nd4j-cuda-11.4", "nd4j-cuda-11.2", "nd4j-cuda-11.0"}) {
            try (InputStream in = Nd4j.class.getResourceAsStream("/META-INF/maven/org.nd4j/" + a + "/pom.properties")) {
                if (in != null) {
                    Properties p = new Properties();
                    p.load(in);
                    return new String[] {a, p.getProperty("version", "unknown")};
                }
            } catch (IOException e) {
                // not this one
            }
        }
        return null;
    }

    /**
     * Why {@code gpu} cannot run the build {@code artifact:version}, or null when it can or when the build's
     * kernels are not known here.
     */
    public static String refusal(Gpu gpu, String artifact, String version) {
        if (!KNOWN_ARTIFACT.equals(artifact) || !KNOWN_VERSION.equals(version)) {
            return null;
        }
        if (runs(M2_1_CUDA_11_6, gpu.major(), gpu.minor())) {
            return null;
        }
        return String.format(Locale.ROOT, "GPU %d (%s, compute capability %s) cannot run %s:%s, whose kernels are "
                + "compiled for compute capabilities 3.7-8.6 (Kepler K80 to Ampere; Ada through 8.6) with no PTX. Use the "
                + "CPU build (mvn -DskipTests package, without -Pcuda), or a CUDA 12 ND4J build for this GPU "
                + "(README, \"GPUs\"); -Dpainters.skipDeviceCheck=true skips this check", gpu.index(), gpu.name(),
                gpu.capability(), artifact, version);
    }

    /**
     * Stops before any kernel runs when a GPU of the backend cannot run this build: throws an
     * IllegalStateException naming the GPU, its capability, the build and what to do. No-op on the CPU
     * backend and with {@code -Dpainters.skipDeviceCheck=true}.
     */
    public static void check() {
        if (Boolean.getBoolean("painters.skipDeviceCheck")) {
            return;
        }
        String[] build = cudaArtifact();
        if (build == null) {
            return;
        }
        for (Gpu g : gpus()) {
            String why = refusal(g, build[0], build[1]);
            if (why != null) {
                throw new IllegalStateException(why);
            }
        }
    }

    private static int number(Object o) {
        return o instanceof Number n ? n.intValue() : -1;
    }

    private static long longNumber(Object o) {
        return o instanceof Number n ? n.longValue() : -1;
    }
}
