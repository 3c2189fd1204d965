package painters.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.factory.Nd4j;
import painters.model.Backend;
import painters.model.DeviceSupport;
import picocli.CommandLine.Command;

/** What this build runs on: backend, devices, their capability and whether this build supports them. */
@Command(name = "doctor", description = "Print the backend, CPU or GPU devices (name, compute capability, memory), "
        + "threads and BLAS, and whether this build can run on each GPU. Exit 1 when a GPU cannot run it.")
final class DoctorCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        Backend b = Backend.current();
        String[] cuda = DeviceSupport.cudaArtifact();
        System.out.printf("painters   %s%n", new Main.Version().getVersion()[0]);
        System.out.printf("backend    %s (%s)%n", b.backend(), cuda == null ? "org.nd4j:nd4j-native:" + b.dl4j()
                : "org.nd4j:" + cuda[0] + ":" + cuda[1]);
        System.out.printf("threads    ND4J %d, OpenMP %s, BLAS %s threads (%s)%n", b.threads(), env.get("omp.threads"),
                env.get("blas.threads"), b.blas());
        System.out.printf("cpu        %s, %d cores%n", cpuModel(), Runtime.getRuntime().availableProcessors());
        long total = physicalMemory();
        System.out.printf(Locale.ROOT, "memory     %s physical, JVM heap limit %.2f GB, JavaCPP off-heap limit %.2f GB%n",
                total > 0 ? String.format(Locale.ROOT, "%.2f GB", total / 1e9) : "unknown",
                Runtime.getRuntime().maxMemory() / 1e9, Pointer.maxBytes() / 1e9);
        System.out.printf("jvm        %s; %s%n", b.jvm(), b.os());
        if (cuda == null) {
            System.out.println("gpus       none used: this is the CPU build (build with -Pcuda for the CUDA backend)");
            return 0;
        }
        List<DeviceSupport.Gpu> gpus = DeviceSupport.gpus();
        if (gpus.isEmpty()) {
            System.out.println("gpus       none visible to the CUDA backend");
            return 1;
        }
        boolean known = DeviceSupport.KNOWN_ARTIFACT.equals(cuda[0]) && DeviceSupport.KNOWN_VERSION.equals(cuda[1]);
        int refused = 0;
        for (DeviceSupport.Gpu g : gpus) {
            String why = DeviceSupport.refusal(g, cuda[0], cuda[1]);
            refused += why == null ? 0 : 1;
            System.out.printf(Locale.ROOT, "gpu %d      %s, compute capability %s, %.1f GB (%.1f GB free): %s%n", g.index(),
                    g.name(), g.capability(), g.totalMemory() / 1e9, g.freeMemory() / 1e9,
                    why != null ? "CANNOT run this build" : known ? "supported" : "not checked (kernels of "
                            + cuda[0] + ":" + cuda[1] + " unknown here)");
            if (why != null) {
                System.out.println("           " + why);
            }
        }
        return refused == 0 ? 0 : 1;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip()
                            + (Files.readString(Path.of("/proc/cpuinfo")).contains("avx512f") ? " (AVX-512)" : "");
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static long physicalMemory() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean s ? s.getTotalMemorySize() : -1;
    }
}
