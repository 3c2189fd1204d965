package painters.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import painters.model.ModelFormatException;
import painters.model.family.EncoderGraph;
import painters.model.family.ModelFamilies;
import painters.model.family.OnnxExports;
import painters.model.family.SentenceEncoder;
import painters.model.plan.LayerPlan;
import painters.model.tokenizer.TokenBatch;
import painters.model.weights.OnnxWeights;
import painters.reference.EncoderVerification;
import painters.reference.OnnxRuntimeEncoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Checks a user's BERT-family checkpoint: builds the SameDiff encoder from an ONNX export (and, if
 * given, from a HF safetensors directory with the same weights), runs one tokenized batch through it
 * and through ONNX Runtime, and prints max |diff| per layer with a pass/fail against the tolerance.
 */
@Command(name = "verify", description = "Compare the SameDiff encoder built from your checkpoint with ONNX "
        + "Runtime running the ONNX export, layer by layer. Exit code 0 = pass, 1 = fail.")
final class VerifyCommand implements Callable<Integer> {

    static final List<String> TEXTS = List.of(
            "Transformer layers as painters: what happens when the middle layers are skipped?",
            "Café déjà vu — naïve résumé?",
            "short",
            "Layers can run in parallel, in reverse, or in a random order, and the model still works.",
            "東京で会いましょう 🤗",
            "The quick brown fox jumps over the lazy dog.");

    @Option(names = "--onnx", required = true, paramLabel = "FILE", description = "The ONNX export (opset >= 11).")
    Path onnx;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "Its tokenizer.json (default: tokenizer.json beside the ONNX file or in --hf).")
    Path tokenizer;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Its config.json (default: beside the ONNX file, else in --hf, else inferred from the graph).")
    Path config;

    @Option(names = "--hf", paramLabel = "DIR",
            description = "Also verify a HF directory holding the same weights as safetensors.")
    Path hf;

    @Option(names = "--threads", defaultValue = "2", description = "ONNX Runtime threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--tolerance", defaultValue = "1e-4", description = "Max |diff| allowed on real tokens (default ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = "--text", paramLabel = "TEXT", description = "Texts of the batch (repeatable; default: six mixed ones).")
    List<String> texts = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Path dir = onnx.toAbsolutePath().getParent();
        Path tok = tokenizer != null ? tokenizer : firstExisting(dir.resolve("tokenizer.json"),
                hf == null ? null : hf.resolve("tokenizer.json"));
        if (tok == null) {
            throw new ModelFormatException(onnx + ": no tokenizer.json beside it; pass --tokenizer");
        }
        Path cfg = config != null ? config : firstExisting(dir.resolve("config.json"),
                hf == null ? null : hf.resolve("config.json"));
        OnnxExports family = ModelFamilies.onnxExports();
        SentenceEncoder fromOnnx = family.fromOnnx(onnx, tok, cfg);
        System.out.printf("config     %s%n", cfg != null ? cfg : "inferred from the ONNX graph");
        fromOnnx.describe().forEach(l -> System.out.printf("           %s%n", l));
        List<String> batchTexts = texts.isEmpty() ? TEXTS : texts;
        TokenBatch batch = fromOnnx.tokenizer().encode(batchTexts);
        System.out.printf("batch      %d texts, padded to %d tokens (%s)%n", batch.batchSize(), batch.seqLength(), tok);
        boolean ok;
        LayerPlan identity = LayerPlan.identity(fromOnnx.numLayers());
        try (OnnxRuntimeEncoder ort = new OnnxRuntimeEncoder(OnnxWeights.parse(onnx), fromOnnx.numLayers(), true, threads,
                onnx.toString())) {
            ok = report("SameDiff (weights from " + onnx.getFileName() + ")", fromOnnx.graph(identity), ort, batch);
            if (hf != null) {
                SentenceEncoder fromHf = family.withWeightsFrom(fromOnnx, hf);
                ok &= report("SameDiff (weights from " + hf + ")", fromHf.graph(identity), ort, batch);
            }
        }
        System.out.println(ok ? "\nPASS" : "\nFAIL");
        return ok ? 0 : 1;
    }

    private boolean report(String title, EncoderGraph ours, OnnxRuntimeEncoder ort, TokenBatch batch) throws Exception {
        EncoderVerification.Report r = EncoderVerification.run(ours, ort, batch, tolerance);
        System.out.printf("%n%s vs ONNX Runtime, max |diff| (tolerance %.0e on real tokens)%n", title, tolerance);
        System.out.printf("  %-18s %12s %12s  %s%n", "state", "real tokens", "padding", "");
        for (int k = 0; k < r.perState().size(); k++) {
            var d = r.perState().get(k);
            String label = k == r.perState().size() - 1 ? "last_hidden_state"
                    : k == 0 ? "embeddings" : "layer " + (k - 1) + " out";
            System.out.printf("  %-18s %12.3e %12.3e  %s%n", label, d.real(), d.padding(),
                    d.real() <= tolerance ? "ok" : "FAIL");
        }
        System.out.printf("  worst %.3e -> %s%n", r.worst(), r.passed() ? "pass" : "FAIL");
        return r.passed();
    }

    private static Path firstExisting(Path... candidates) {
        for (Path p : candidates) {
            if (p != null && Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }
}
