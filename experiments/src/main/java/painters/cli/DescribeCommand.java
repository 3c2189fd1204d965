package painters.cli;

import java.util.concurrent.Callable;
import painters.model.Backend;
import painters.model.bert.BertConfig;
import painters.model.bert.BertModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Loads a model and prints what it is. */
@Command(name = "describe", description = "Load a model and print its configuration, size and checksum.")
final class DescribeCommand implements Callable<Integer> {

    @Mixin
    ModelOption model;

    @Override
    public Integer call() {
        if (painters.model.llama.LlamaLoader.isDecoder(model.model)) {
            print(painters.model.llama.LlamaLoader.load(model.model));
            return 0;
        }
        BertModel m = model.load();
        print(m);
        return 0;
    }

    static void print(painters.model.llama.LlamaModel m) {
        painters.model.llama.LlamaConfig c = m.config();
        System.out.printf("model      %s%n", m.id());
        System.out.printf("family     %s decoder, %d layers, hidden %d, %d heads x %d (%d key/value heads), MLP %d, "
                + "vocab %d, max length %d%n", c.modelType(), c.numLayers(), c.hiddenSize(), c.numHeads(), c.headDim(),
                c.numKvHeads(), c.intermediateSize(), c.vocabSize(), c.maxPositions());
        System.out.printf("rope       theta %s, scaling %s; RMSNorm eps %s; %s embeddings%s%n", c.rope().theta(),
                c.rope().scaling(), c.rmsNormEps(), c.tieWordEmbeddings() ? "tied" : "separate input/output",
                c.slidingWindow() > 0 ? "; sliding window " + c.slidingWindow() : "");
        System.out.printf("parameters %,d (%.1f MB as fp32)%n", m.weights().parameterCount(),
                m.weights().parameterCount() * 4 / 1e6);
        System.out.printf("tokenizer  %s (%d pieces, BOS %d, EOS %d)%n", m.tokenizer().source(), m.tokenizer().vocabSize(),
                m.tokenizer().bos(), m.tokenizer().eos());
        System.out.printf("sha256     %s%n", m.sha256());
        System.out.printf("loaded in  %.2f s%n", m.loadSeconds());
        System.out.printf("backend    %s%n", Backend.current());
    }

    static void print(BertModel m) {
        BertConfig c = m.config();
        System.out.printf("model      %s%n", m.id());
        System.out.printf("family     %s encoder, %d layers, hidden %d, %d heads x %d, MLP %d, vocab %d, max length %d%n",
                c.modelType(), c.numLayers(), c.hiddenSize(), c.numHeads(), c.headSize(), c.intermediateSize(),
                c.vocabSize(), c.maxPositions());
        System.out.printf("parameters %,d (%.1f MB as fp32)%n", m.weights().parameterCount(),
                m.weights().parameterCount() * 4 / 1e6);
        System.out.printf("embedding  %s pooling%s%n", m.pooling(), m.normalize() ? ", L2-normalised" : "");
        System.out.printf("sha256     %s%n", m.sha256());
        System.out.printf("loaded in  %.2f s%n", m.loadSeconds());
        System.out.printf("backend    %s%n", Backend.current());
    }
}
