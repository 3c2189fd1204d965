package painters.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import painters.model.family.Pooling;
import painters.model.family.SentenceEmbedder;
import painters.model.family.SentenceEncoder;
import painters.model.plan.LayerPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Embeds sentences with the pretrained encoder and prints their cosine similarities. */
@Command(name = "embed", description = "Embed sentences with the encoder as a layer plan runs it (default: the "
        + "unmodified model) and print the embeddings and their cosine-similarity matrix.")
final class EmbedCommand implements Callable<Integer> {

    static final List<String> EXAMPLES = List.of(
            "Transformer layers behave like painters working on a shared canvas.",
            "The middle layers of a language model share one representation space.",
            "Skipping a few middle layers hurts the model only a little.",
            "The recipe needs two cups of flour and a pinch of salt.");

    @Mixin
    PlannedModelOptions model;

    @Option(names = "--file", paramLabel = "FILE", description = "Read sentences from FILE, one per line.")
    Path file;

    @Option(names = "--batch-size", defaultValue = "32", description = "Sentences per forward pass (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Parameters(arity = "0..*", paramLabel = "TEXT", description = "Sentences to embed (default: four examples).")
    List<String> texts = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        List<String> input = new ArrayList<>(texts);
        if (file != null) {
            input.addAll(TextFiles.lines(file));
        }
        if (input.isEmpty()) {
            input.addAll(EXAMPLES);
        }
        SentenceEncoder m = model.loadSentenceEncoder("embed");
        LayerPlan plan = model.plan(m.numLayers());
        DescribeCommand.print(m);
        System.out.printf("plan       %s (depth %d, %d block applications)%n", plan.print(), plan.depth(),
                plan.applications());
        SentenceEmbedder embedder = new SentenceEmbedder(m, m.graph(plan), batchSize);
        long t0 = System.nanoTime();
        INDArray e = embedder.embed(input);
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%nembedded %d sentences -> [%d, %d] in %.2f s (%.1f sentences/s, first call includes warm-up)%n",
                input.size(), e.size(0), e.size(1), secs, input.size() / secs);
        int show = Math.min(input.size(), 20);
        for (int i = 0; i < show; i++) {
            StringBuilder head = new StringBuilder();
            for (int j = 0; j < 5; j++) {
                head.append(String.format("%+.4f ", e.getDouble(i, j)));
            }
            System.out.printf("  [%d] %s... |e|=%.4f  %s%n", i, head, e.getRow(i).norm2Number().doubleValue(),
                    abbreviate(input.get(i), 60));
        }
        System.out.println("\ncosine similarity");
        INDArray sims = e.get(NDArrayIndex.interval(0, show), NDArrayIndex.all());
        INDArray cos = Pooling.l2Normalize(sims).mmul(Pooling.l2Normalize(sims).transpose());
        System.out.print("      ");
        for (int j = 0; j < show; j++) {
            System.out.printf("%6s", "[" + j + "]");
        }
        System.out.println();
        for (int i = 0; i < show; i++) {
            System.out.printf("  %-4s", "[" + i + "]");
            for (int j = 0; j < show; j++) {
                System.out.printf("%6.3f", cos.getDouble(i, j));
            }
            System.out.println();
        }
        return 0;
    }

    static String abbreviate(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 3) + "...";
    }
}
