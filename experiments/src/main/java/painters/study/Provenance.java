package painters.study;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import painters.model.Backend;

/**
 * What every result row records about how it was computed (after Tribuo's ModelProvenance and
 * lm-eval's run metadata).
 *
 * @param modelId     model name or path
 * @param modelSha256 checksum of its weights
 * @param backend     ND4J backend, DL4J version, threads, BLAS
 * @param dl4j        DL4J version
 * @param jvm         JVM name and version
 * @param os          OS and architecture
 * @param gitCommit   commit of this code (or "unknown" outside a git checkout), "+dirty" if modified
 * @param batchSize   inputs per forward pass
 * @param maxLength   tokens per input
 */
public record Provenance(String modelId, String modelSha256, String backend, String dl4j, String jvm, String os,
                         String gitCommit, int batchSize, int maxLength) {

    public static Provenance of(String modelId, String modelSha256, int batchSize, int maxLength) {
        Backend b = Backend.current();
        return new Provenance(modelId, modelSha256, b.backend() + " (" + b.threads() + " threads, " + b.blas() + ")",
                b.dl4j(), b.jvm(), b.os(), currentGitCommit(), batchSize, maxLength);
    }

    /** {@code git rev-parse HEAD} of the working directory, with "+dirty" for uncommitted changes. */
    static String currentGitCommit() {
        try {
            String head = run("git", "rev-parse", "HEAD");
            if (head.isEmpty()) {
                return "unknown";
            }
            String status = run("git", "status", "--porcelain", "--untracked-files=no");
            return status.isEmpty() ? head : head + "+dirty";
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return "unknown";
        }
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            return "";
        }
        return out;
    }
}
