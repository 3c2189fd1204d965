package painters.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Benchmarks that print ratios against a named reference measured in the same run (never timed tests):
 * {@code forward} (encoder vs ONNX Runtime), {@code train} (a fine-tuning step vs the sgemm peak),
 * {@code grid} (a study's plans from scratch vs prefix-shared), {@code decoder} (forward and KV-cache
 * generation vs recomputation).
 */
@Command(name = "bench", description = "Benchmarks with ratios against a reference measured in the same run.",
        subcommands = {BenchForward.class, BenchTrain.class, BenchGrid.class, BenchDecoder.class, BenchMemory.class,
                BenchEngines.class})
final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
