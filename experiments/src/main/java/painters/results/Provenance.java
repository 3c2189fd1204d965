package painters.results;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import painters.model.Backend;

/**
 * Where and with which code a run computed its results (after Tribuo's ModelProvenance and
 * lm-eval's run metadata), captured once per run.
 *
 * @param backend   ND4J backend, threads, BLAS
 * @param dl4j      DL4J version
 * @param jvm       JVM name and version
 * @param os        OS and architecture
 * @param gitCommit commit of this code (or "unknown" outside a git checkout), "+dirty" if modified
 */
public record Provenance(String backend, String dl4j, String jvm, String os, String gitCommit) {

    public static Provenance current() {
        Backend b = Backend.current();
        return new Provenance(b.backend() + " (" + b.threads() + " threads, " + b.blas() + ")", b.dl4j(), b.jvm(), b.os(),
                currentGitCommit());
    }

    /** This provenance for one row's computation: its batching and data settings, and the time. */
    public Run run(int trainMax, int batchSize, int maxLength) {
        return new Run(trainMax, batchSize, maxLength, this, Instant.now().toString());
    }

    /**
     * How one row was computed.
     *
     * @param trainMax   cap on training examples (0: all)
     * @param batchSize  inputs per forward pass (fine-tuning: per micro-batch)
     * @param maxLength  tokens per input
     * @param where      backend, versions, commit
     * @param timestamp  when it was stored
     */
    public record Run(int trainMax, int batchSize, int maxLength, Provenance where, String timestamp) {

        void addTo(JsonObject o) {
            o.addProperty("train_max", trainMax);
            o.addProperty("batch_size", batchSize);
            o.addProperty("max_length", maxLength);
            o.addProperty("backend", where.backend());
            o.addProperty("dl4j", where.dl4j());
            o.addProperty("jvm", where.jvm());
            o.addProperty("os", where.os());
            o.addProperty("git_commit", where.gitCommit());
            o.addProperty("timestamp", timestamp);
        }

        static Run from(JsonObject o) {
            return new Run(ResultRow.integer(o, "train_max", 0), ResultRow.integer(o, "batch_size", 0),
                    ResultRow.integer(o, "max_length", 0), new Provenance(ResultRow.string(o, "backend"),
                    ResultRow.string(o, "dl4j"), ResultRow.string(o, "jvm"), ResultRow.string(o, "os"),
                    ResultRow.string(o, "git_commit")), ResultRow.string(o, "timestamp"));
        }
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
