package painters.model.llama;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import painters.model.ModelFormatException;
import painters.model.decoder.*;
import painters.model.decoder.TensorNames;
import painters.model.decoder.TensorRole;
import painters.model.weights.TensorMap;

/**
 * Reads karpathy/llama2.c's legacy checkpoint format ({@code run.c}'s layout): a header of seven
 * little-endian int32 ({@code dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len};
 * a negative vocab_size means an untied classifier follows), then fp32 tensors stacked over layers
 * in run.c order, the unused {@code freq_cis} tables, and the classifier if untied.
 *
 * <p>llama2.c rotates interleaved pairs {@code (x[2i], x[2i+1])}; HF rotates {@code (x[i], x[i+d/2])}.
 * The q/k rows are permuted here exactly as HF's conversion script does, so the one decoder
 * implementation (rotate-half) runs both formats.
 */
public final class Llama2cCheckpoint {

    static final int HEADER_BYTES = 7 * 4;

    /** A checkpoint read into canonical names. */
    public record Contents(DecoderConfig config, TensorMap tensors) {}

    private Llama2cCheckpoint() {}

    /** Reads {@code file}; {@code bos}/{@code eos} are llama2.c's fixed ids 1 and 2. */
    public static Contents read(Path file) {
        ByteBuffer buf;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < HEADER_BYTES) {
                throw new ModelFormatException(file + ": " + size + " bytes, too short for a llama2.c header");
            }
            if (size > Integer.MAX_VALUE) {
                throw new ModelFormatException(file + ": " + size + " bytes; llama2.c files over 2 GiB are not supported "
                        + "(convert the model to HF safetensors)");
            }
            buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new ModelFormatException("cannot read " + file + ": " + e.getMessage(), e);
        }
        DecoderConfig c = header(buf, file);
        int dim = c.hiddenSize();
        int hidden = c.intermediateSize();
        int layers = c.numLayers();
        int heads = c.numHeads();
        int kvHeads = c.numKvHeads();
        int vocab = c.vocabSize();
        int seqLen = c.maxPositions();
        boolean shared = c.tieWordEmbeddings();
        long hs = c.headDim();
        long expected = (long) vocab * dim + (long) layers * (2L * dim + (long) dim * c.qDim() + 2L * dim * c.kvDim()
                + (long) c.qDim() * dim + 3L * dim * hidden) + dim + seqLen * hs + (shared ? 0 : (long) vocab * dim);
        long floats = (buf.capacity() - HEADER_BYTES) / 4;
        long rest = buf.capacity() - HEADER_BYTES;
        if (rest % 4 != 0 || floats != expected) {
            throw new ModelFormatException(file + ": " + rest + " bytes after the header"
                    + (rest % 4 != 0 ? " (not a whole number of 4-byte floats)" : " (" + floats + " floats)")
                    + ", but the header implies " + expected + " floats = " + 4 * expected + " bytes (dim " + dim
                    + ", hidden " + hidden + ", layers " + layers + ", vocab " + vocab
                    + (shared ? ", shared" : ", untied") + " classifier)");
        }
        FloatBuffer f = buf.asFloatBuffer();
        Map<String, INDArray> t = new LinkedHashMap<>();
        TensorNames n = c.spec().names();
        t.put(n.name(TensorRole.EMBED), take(f, vocab, dim));
        INDArray[] attNorm = stacked(f, layers, dim);
        INDArray[] wq = stacked(f, layers, c.qDim(), dim);
        INDArray[] wk = stacked(f, layers, c.kvDim(), dim);
        INDArray[] wv = stacked(f, layers, c.kvDim(), dim);
        INDArray[] wo = stacked(f, layers, dim, c.qDim());
        INDArray[] mlpNorm = stacked(f, layers, dim);
        INDArray[] w1 = stacked(f, layers, hidden, dim);
        INDArray[] w2 = stacked(f, layers, dim, hidden);
        INDArray[] w3 = stacked(f, layers, hidden, dim);
        INDArray finalNorm = take(f, dim);
        f.position(f.position() + (int) (seqLen * hs));     // freq_cis_real, freq_cis_imag: recomputed, unused
        for (int l = 0; l < layers; l++) {
            t.put(n.name(TensorRole.ATTN_NORM, l), attNorm[l]);
            t.put(n.name(TensorRole.Q, l), toRotateHalf(wq[l], heads));
            t.put(n.name(TensorRole.K, l), toRotateHalf(wk[l], kvHeads));
            t.put(n.name(TensorRole.V, l), wv[l]);
            t.put(n.name(TensorRole.O, l), wo[l]);
            t.put(n.name(TensorRole.MLP_NORM, l), mlpNorm[l]);
            t.put(n.name(TensorRole.GATE, l), w1[l]);
            t.put(n.name(TensorRole.DOWN, l), w2[l]);
            t.put(n.name(TensorRole.UP, l), w3[l]);
        }
        t.put(n.name(TensorRole.FINAL_NORM), finalNorm);
        if (!shared) {
            t.put(n.name(TensorRole.LM_HEAD), take(f, vocab, dim));
        }
        return new Contents(c, new TensorMap(file.toString(), t));
    }

    /** The config in a llama2.c file's header; the weights are not read. */
    public static DecoderConfig readConfig(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() < HEADER_BYTES) {
                throw new ModelFormatException(file + ": " + ch.size() + " bytes, too short for a llama2.c header");
            }
            ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // read the header
            }
            buf.flip();
            return header(buf, file);
        } catch (IOException e) {
            throw new ModelFormatException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static DecoderConfig header(ByteBuffer buf, Path file) {
        int dim = buf.getInt();
        int hidden = buf.getInt();
        int layers = buf.getInt();
        int heads = buf.getInt();
        int kvHeads = buf.getInt();
        int vocab = buf.getInt();
        int seqLen = buf.getInt();
        boolean shared = vocab > 0;
        vocab = Math.abs(vocab);
        try {
            return new DecoderConfig("llama", vocab, dim, hidden, layers, heads, kvHeads, heads > 0 ? dim / heads : 0,
                    seqLen, 1e-5, Rope.plain(10000.0), shared, "silu", 0, vocab > 2 ? 1 : -1, vocab > 2 ? 2 : -1);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file + ": header (dim " + dim + ", hidden " + hidden + ", layers " + layers
                    + ", heads " + heads + ", kv heads " + kvHeads + ", vocab " + vocab + ", seq_len " + seqLen
                    + ") is not a llama2.c model: " + e.getMessage(), e);
        }
    }

    /**
     * Reorders the rows of a q or k projection {@code [heads*hd, in]} from interleaved pairs to the
     * rotate-half layout: within each head, row {@code 2i+p} moves to {@code p*hd/2 + i}
     * (HF's {@code permute}: view(heads, hd/2, 2, in).transpose(1, 2)).
     */
    public static INDArray toRotateHalf(INDArray w, int heads) {
        long rows = w.size(0);
        long in = w.size(1);
        long hd = rows / heads;
        return w.reshape('c', heads, hd / 2, 2, in).permute(0, 2, 1, 3).dup('c').reshape('c', rows, in);
    }

    /** The inverse of {@link #toRotateHalf}: back to llama2.c's interleaved pairs. */
    public static INDArray toInterleaved(INDArray w, int heads) {
        long rows = w.size(0);
        long in = w.size(1);
        long hd = rows / heads;
        return w.reshape('c', heads, 2, hd / 2, in).permute(0, 2, 1, 3).dup('c').reshape('c', rows, in);
    }

    private static INDArray take(FloatBuffer f, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        float[] data = new float[(int) n];
        f.get(data);
        return Nd4j.create(data, shape, 'c');
    }

    private static INDArray[] stacked(FloatBuffer f, int layers, long... shape) {
        INDArray[] out = new INDArray[layers];
        for (int l = 0; l < layers; l++) {
            out[l] = take(f, shape);
        }
        return out;
    }
}
