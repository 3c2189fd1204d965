package painters.cli;

import picocli.CommandLine.Option;

/** Options every throughput benchmark shares: shapes, thread counts, warm-up and timed runs. */
final class BenchOptions {

    @Option(names = "--batch", defaultValue = "32", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seq", split = ",", defaultValue = "128,16", description = "Sequence lengths (default ${DEFAULT-VALUE}).")
    int[] seqs;

    @Option(names = "--threads", split = ",", defaultValue = "1,2", description = "Thread counts (default ${DEFAULT-VALUE}).")
    int[] threads;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed runs per engine (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--iters", defaultValue = "10", description = "Timed runs per engine (default ${DEFAULT-VALUE}).")
    int iters;
}
