package painters.model.weights;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import onnx.Onnx;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.protobuf.CodedInputStream;
import painters.model.ModelFormatException;

/**
 * Weights of an ONNX export of a BERT-family encoder (optimum / Xenova style), read with the ONNX
 * protobuf classes that ship inside nd4j-api.
 *
 * <p>Initializers that carry HF names (biases, LayerNorm, embeddings) are kept as they are. The
 * Linear weights are anonymous ({@code onnx::MatMul_1234}) and stored {@code [in, out]}: each is named
 * by walking {@code MatMul -> Add(<prefix>.bias)} to {@code <prefix>.weight}, cross-checked against
 * the node's scope name ({@code /encoder/layer.0/attention/self/query/MatMul}) when there is one, and
 * transposed to PyTorch's {@code [out, in]}.
 */
public final class OnnxWeights {

    private OnnxWeights() {}

    /** Parses an ONNX model file. */
    public static Onnx.ModelProto parse(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot read ONNX model: " + e.getMessage(), e);
        }
    }

    /** Parses an ONNX model from a stream; {@code source} names it in errors. */
    public static Onnx.ModelProto parse(InputStream in, String source) {
        try {
            CodedInputStream cis = CodedInputStream.newInstance(in);
            cis.setSizeLimit(Integer.MAX_VALUE);
            Onnx.ModelProto m = Onnx.ModelProto.parseFrom(cis);
            if (!m.hasGraph() || m.getGraph().getNodeCount() == 0) {
                throw new ModelFormatException(source + ": not an ONNX model (no graph nodes)");
            }
            return m;
        } catch (IOException e) {
            throw new ModelFormatException(source + ": not a readable ONNX model: " + e.getMessage(), e);
        }
    }

    /** Reads and names the weights of an ONNX BERT export file. */
    public static TensorMap read(Path file) {
        return read(parse(file), file.toString());
    }

    /** Names the weights of a parsed ONNX BERT export. */
    public static TensorMap read(Onnx.ModelProto model, String source) {
        Onnx.GraphProto g = model.getGraph();
        Map<String, Onnx.TensorProto> inits = new LinkedHashMap<>();
        for (Onnx.TensorProto t : g.getInitializerList()) {
            inits.put(t.getName(), t);
        }
        Map<String, Onnx.NodeProto> consumerOf = new HashMap<>();
        for (Onnx.NodeProto n : g.getNodeList()) {
            for (String in : n.getInputList()) {
                consumerOf.putIfAbsent(in, n);
            }
        }
        Map<String, String> renamed = new HashMap<>(); // initializer name -> HF weight name
        for (Onnx.NodeProto n : g.getNodeList()) {
            if (!n.getOpType().equals("MatMul") || n.getInputCount() != 2 || !inits.containsKey(n.getInput(1))) {
                continue;
            }
            String weight = n.getInput(1);
            if (isHfName(weight)) {
                continue;
            }
            Onnx.NodeProto add = consumerOf.get(n.getOutput(0));
            String bias = null;
            if (add != null && add.getOpType().equals("Add")) {
                for (String in : add.getInputList()) {
                    if (in.endsWith(".bias") && inits.containsKey(in)) {
                        bias = in;
                    }
                }
            }
            if (bias == null) {
                throw new ModelFormatException(source + ": MatMul node \"" + n.getName() + "\" with weight \"" + weight
                        + "\" is not followed by Add(<prefix>.bias); cannot name its weight");
            }
            String prefix = bias.substring(0, bias.length() - ".bias".length());
            String scope = scopeOf(n.getName());
            if (scope != null && !scope.equals(prefix)) {
                throw new ModelFormatException(source + ": MatMul node \"" + n.getName() + "\" is followed by bias \""
                        + bias + "\"; the names disagree, refusing to guess which layer weight \"" + weight + "\" is");
            }
            String previous = renamed.put(weight, prefix + ".weight");
            if (previous != null && !previous.equals(prefix + ".weight")) {
                throw new ModelFormatException(source + ": initializer \"" + weight + "\" is used as both " + previous
                        + " and " + prefix + ".weight (tied Linear weights are not supported)");
            }
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Onnx.TensorProto t : inits.values()) {
            String hf = renamed.get(t.getName());
            if (hf != null) {
                INDArray w = toArray(t, source);
                if (w.rank() != 2) {
                    throw new ModelFormatException(source + ": MatMul weight \"" + t.getName() + "\" (" + hf
                            + ") has rank " + w.rank() + ", expected 2");
                }
                out.put(hf, w.transpose().dup('c'));
            } else if (isHfName(t.getName())) {
                out.put(t.getName(), toArray(t, source));
            }
        }
        return new TensorMap(source, out);
    }

    /** HF-style names look like {@code encoder.layer.0.output.dense.bias}; anonymous ones contain "::". */
    private static boolean isHfName(String name) {
        return !name.contains("::") && name.contains(".") && !name.startsWith("/");
    }

    /** {@code /encoder/layer.0/attention/self/query/MatMul -> encoder.layer.0.attention.self.query}. */
    static String scopeOf(String nodeName) {
        if (nodeName == null || !nodeName.startsWith("/")) {
            return null;
        }
        int last = nodeName.lastIndexOf('/');
        if (last <= 0) {
            return null;
        }
        return nodeName.substring(1, last).replace('/', '.');
    }

    /** Converts an initializer to an array: FLOAT, FLOAT16, BFLOAT16, DOUBLE as FLOAT; INT64/INT32 as LONG/INT. */
    public static INDArray toArray(Onnx.TensorProto t, String source) {
        String where = source + ": initializer \"" + t.getName() + "\"";
        if (t.getDataLocation() == Onnx.TensorProto.DataLocation.EXTERNAL) {
            throw new ModelFormatException(where + " uses external data, which is not supported; re-export the "
                    + "model with its weights inside the .onnx file or use safetensors");
        }
        List<Long> dimList = t.getDimsList();
        long[] shape = new long[dimList.size()];
        long n = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dimList.get(i);
            n *= shape[i];
        }
        if (n > Integer.MAX_VALUE) {
            throw new ModelFormatException(where + " has " + n + " elements, above the 2^31 supported");
        }
        int count = (int) n;
        boolean raw = !t.getRawData().isEmpty();
        ByteBuffer rb = raw ? t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN) : null;
        Onnx.TensorProto.DataType dt = Onnx.TensorProto.DataType.forNumber(t.getDataType());
        if (dt == null) {
            throw new ModelFormatException(where + " has unknown data_type " + t.getDataType());
        }
        switch (dt) {
            case FLOAT -> {
                float[] f = new float[count];
                if (raw) {
                    checkBytes(rb, count * 4L, where);
                    rb.asFloatBuffer().get(f);
                } else {
                    checkCount(t.getFloatDataCount(), count, where);
                    for (int i = 0; i < count; i++) {
                        f[i] = t.getFloatData(i);
                    }
                }
                return Nd4j.create(f, shape, 'c');
            }
            case DOUBLE -> {
                float[] f = new float[count];
                if (raw) {
                    checkBytes(rb, count * 8L, where);
                    for (int i = 0; i < count; i++) {
                        f[i] = (float) rb.getDouble();
                    }
                } else {
                    checkCount(t.getDoubleDataCount(), count, where);
                    for (int i = 0; i < count; i++) {
                        f[i] = (float) t.getDoubleData(i);
                    }
                }
                return Nd4j.create(f, shape, 'c');
            }
            case FLOAT16, BFLOAT16 -> {
                float[] f = new float[count];
                boolean bf = dt == Onnx.TensorProto.DataType.BFLOAT16;
                for (int i = 0; i < count; i++) {
                    short s;
                    if (raw) {
                        if (i == 0) {
                            checkBytes(rb, count * 2L, where);
                        }
                        s = rb.getShort();
                    } else {
                        checkCount(t.getInt32DataCount(), count, where);
                        s = (short) t.getInt32Data(i);
                    }
                    f[i] = bf ? HalfFloats.bf16ToFloat(s) : HalfFloats.f16ToFloat(s);
                }
                return Nd4j.create(f, shape, 'c');
            }
            case INT64 -> {
                long[] l = new long[count];
                if (raw) {
                    checkBytes(rb, count * 8L, where);
                    rb.asLongBuffer().get(l);
                } else {
                    checkCount(t.getInt64DataCount(), count, where);
                    for (int i = 0; i < count; i++) {
                        l[i] = t.getInt64Data(i);
                    }
                }
                return Nd4j.createFromArray(l).reshape(shape);
            }
            case INT32 -> {
                int[] v = new int[count];
                if (raw) {
                    checkBytes(rb, count * 4L, where);
                    rb.asIntBuffer().get(v);
                } else {
                    checkCount(t.getInt32DataCount(), count, where);
                    for (int i = 0; i < count; i++) {
                        v[i] = t.getInt32Data(i);
                    }
                }
                return Nd4j.createFromArray(v).reshape(shape);
            }
            default -> throw new ModelFormatException(where + " has unsupported data_type " + dt);
        }
    }

    private static void checkBytes(ByteBuffer b, long expected, String where) {
        if (b.remaining() != expected) {
            throw new ModelFormatException(where + " holds " + b.remaining() + " bytes of raw_data, its dims need "
                    + expected);
        }
    }

    private static void checkCount(int actual, int expected, String where) {
        if (actual != expected) {
            throw new ModelFormatException(where + " holds " + actual + " values, its dims need " + expected);
        }
    }
}
