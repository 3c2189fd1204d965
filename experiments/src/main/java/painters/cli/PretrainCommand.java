package painters.cli;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import painters.checkpoint.HfDirectory;
import painters.checkpoint.PretrainRecord;
import painters.eval.metric.Metric;
import painters.model.UserInputException;
import painters.model.graph.Gradients;
import painters.training.CurvePoint;
import painters.training.FineTuneConfig;
import painters.training.LmCorpus;
import painters.training.Pretraining;
import painters.training.UnfreezePolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Trains a decoder from scratch from its family's config and writes it as a checkpoint of the family. */
@Command(name = "pretrain", description = "Train a decoder from scratch: the family's untrained checkpoint for "
        + "--config (its model_type chooses the family; initialised as the family's HF code does, seeded), every "
        + "tensor trained with the causal LM loss on --text (AdamW, warmup then cosine decay, clipping, checkpoints "
        + "and resume, a held-out perplexity curve on the text's last windows, never trained on), written to --out as "
        + "a checkpoint of the family that every command loads. Without --tokenizer, a character tokenizer of the text.")
final class PretrainCommand implements Callable<Integer> {

    @Mixin
    DataOption dataOption;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The family's config.json "
            + "(vocab_size and special ids are set from a character tokenizer).")
    Path config;

    @Option(names = "--family", paramLabel = "NAME", description = "Check that --config is of this family.")
    String family;

    @Option(names = "--text", required = true, paramLabel = "FILE|TASK", description = "A text or .jsonl file, or a "
            + "language-model task with a train split (with --data).")
    String text;

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "A tokenizer.json (default: a character "
            + "tokenizer of the text).")
    Path tokenizer;

    @Option(names = "--residual", paramLabel = "REGIME", description = "standard, none or scaled(A): each residual add "
            + "x + f becomes A x + f (recorded in the config as painters_residual).")
    String residual;

    @Option(names = "--layerdrop", defaultValue = "0", paramLabel = "P", description = "LayerDrop: each block of "
            + "each batch skipped with probability P while training (never at evaluation); recorded in the config.")
    double layerDrop;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (init/ and checkpoints/ "
            + "are kept there: a killed run resumes).")
    Path out;

    @Option(names = "--steps", required = true, description = "Optimizer steps.")
    int steps;

    @Option(names = "--lr", defaultValue = "1e-3", description = "AdamW peak learning rate (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--warmup", defaultValue = "-1", description = "Warm-up steps (-1: 5%% of the steps).")
    int warmup;

    @Option(names = "--schedule", defaultValue = "cosine", description = "cosine, linear or constant.")
    String schedule;

    @Option(names = "--batch-size", defaultValue = "16", description = "Windows per step (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--grad-accum", defaultValue = "1", description = "Micro-batches per step.")
    int accum;

    @Option(names = "--clip", defaultValue = "1.0", description = "Global gradient-norm clip, 0 = off.")
    double clip;

    @Option(names = "--weight-decay", defaultValue = "0.1", description = "Decoupled weight decay on matrices.")
    double weightDecay;

    @Option(names = "--max-length", defaultValue = "128", description = "Tokens per training window.")
    int maxLength;

    @Option(names = "--held-out", defaultValue = "0.05", description = "Share of the windows held out (the last ones).")
    double heldOut;

    @Option(names = "--eval-every", defaultValue = "50", description = "Held-out evaluation period in steps.")
    int evalEvery;

    @Option(names = "--checkpoint-every", defaultValue = "100", description = "Checkpoint period in steps.")
    int checkpointEvery;

    @Option(names = "--seed", defaultValue = "0", description = "Initialisation seed.")
    long seed;

    @Option(names = "--train-seed", defaultValue = "0", description = "Data-order seed.")
    long trainSeed;

    @Override
    public Integer call() throws Exception {
        LmCorpus corpus = LmCorpus.load(text, dataOption.data);
        FineTuneConfig cfg = new FineTuneConfig(lr, warmup >= 0 ? warmup : Math.max(1, steps / 20), schedule, steps,
                batch, accum, clip, weightDecay, trainSeed, Math.min(evalEvery, steps), Double.NaN, checkpointEvery,
                false, UnfreezePolicy.parse("every"), 0, maxLength, Gradients.RECOMPUTED);
        Pretraining.Settings s = new Pretraining.Settings(config, tokenizer, residual, layerDrop, seed, heldOut,
                cfg);
        Pretraining.Result r = Pretraining.run(s, corpus, out);
        if (family != null && !family.equals(r.family())) {
            throw new UserInputException(config + " is a " + r.family() + " config, not " + family);
        }
        String written = HfDirectory.write(r.model(), r.init().toString(), null, out);
        JsonObject o = PretrainRecord.of(s, corpus, r);
        // the training loop against the machine's sgemm peak, measured now (the fine-tuning benchmark's measure); the
        // wall time includes the evaluations, so the share is a lower bound
        double flops = PretrainRecord.trainingFlopsPerSecond(s, r);
        double peak = BenchSupport.sgemmPeak() * 1e9;
        o.addProperty("sgemm_peak_flops_per_second", peak);
        PretrainRecord.write(o, out);
        System.out.printf("%6s %12s %10s %14s %10s %8s%n", "step", "tokens", "loss", "held-out ppl", "+- se", "s");
        for (CurvePoint p : r.run().curve()) {
            System.out.printf(Locale.ROOT, "%6d %12d %10.4f %14.3f %10.3f %8.0f%n", p.step(), p.tokens(), p.loss(),
                    p.scores().getOrDefault(Metric.PERPLEXITY, Double.NaN), p.stderr().getOrDefault(Metric.PERPLEXITY,
                            Double.NaN), p.seconds());
        }
        System.out.printf(Locale.ROOT, "unigram line: held-out perplexity %.3f from the training text's token "
                + "frequencies (add-one; a model ignoring its context scores about this)%n",
                Math.exp(-r.unigramLogLikelihood()));
        System.out.printf(Locale.ROOT, "%n%s %s, %,d parameters trained, %.0f tokens/s (%.2f GFLOP/s, %.1f%% of the "
                        + "sgemm peak %.1f GFLOP/s measured now; wall time with evaluations: a lower bound)%n%s, "
                        + "painters-pretrain.json%n", r.family(), r.model().numLayers() + " blocks",
                r.run().trainableParameters(), r.tokensPerSecond(), flops / 1e9, 100 * flops / peak, peak / 1e9, written);
        return 0;
    }
}
