package painters.model.bert;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import onnx.Onnx;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.ModelFormatException;
import painters.model.weights.OnnxWeights;
import painters.model.weights.TensorMap;

/**
 * Recovers a {@link BertConfig} from an ONNX BERT export that comes without its {@code config.json}:
 * sizes from the weight shapes, the number of heads from the constant {@code [.., heads, head_size]}
 * of the first attention Reshape, the LayerNorm epsilon from the embeddings LayerNorm's constant.
 */
public final class OnnxBertConfig {

    private static final Pattern LAYER = Pattern.compile("^encoder\\.layer\\.(\\d+)\\.");

    private OnnxBertConfig() {}

    public static BertConfig infer(Onnx.ModelProto model, TensorMap weights) {
        String src = weights.source();
        INDArray word = weights.get(BertTensors.WORD);
        INDArray pos = weights.get(BertTensors.POSITION);
        INDArray types = weights.get(BertTensors.TOKEN_TYPE);
        TreeSet<Integer> layers = new TreeSet<>();
        for (String n : weights.names()) {
            Matcher m = LAYER.matcher(n);
            if (m.find()) {
                layers.add(Integer.parseInt(m.group(1)));
            }
        }
        if (layers.isEmpty() || layers.first() != 0 || layers.last() != layers.size() - 1) {
            throw new ModelFormatException(src + ": encoder layers are not numbered 0..T-1: " + layers);
        }
        int hidden = (int) word.size(1);
        int ff = (int) weights.get(BertTensors.layer(0, BertTensors.MLP_IN_B)).length();
        Map<String, Onnx.TensorProto> constants = constants(model);
        int heads = heads(model, constants, hidden, src);
        double eps = epsilon(model, constants, src);
        boolean erf = model.getGraph().getNodeList().stream().anyMatch(n -> n.getOpType().equals("Erf"));
        if (!erf) {
            throw new ModelFormatException(src + ": no Erf node: the MLP activation is not exact GELU; "
                    + "give the model's config.json");
        }
        try {
            return new BertConfig("bert", (int) word.size(0), hidden, layers.size(), heads, ff, (int) pos.size(0),
                    (int) types.size(0), eps, "gelu", "absolute", 0);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(src + ": inferred config is invalid: " + e.getMessage(), e);
        }
    }

    private static Map<String, Onnx.TensorProto> constants(Onnx.ModelProto model) {
        Map<String, Onnx.TensorProto> m = new HashMap<>();
        for (Onnx.TensorProto t : model.getGraph().getInitializerList()) {
            m.put(t.getName(), t);
        }
        for (Onnx.NodeProto n : model.getGraph().getNodeList()) {
            if (n.getOpType().equals("Constant") && n.getAttributeCount() > 0 && n.getAttribute(0).hasT()) {
                m.put(n.getOutput(0), n.getAttribute(0).getT());
            }
        }
        return m;
    }

    /** Finds Concat([B], [S], [heads], [head_size]) feeding the first query/key/value Reshape. */
    private static int heads(Onnx.ModelProto model, Map<String, Onnx.TensorProto> constants, int hidden, String src) {
        for (Onnx.NodeProto n : model.getGraph().getNodeList()) {
            if (!n.getOpType().equals("Concat") || n.getInputCount() != 4
                    || !n.getName().startsWith("/encoder/layer.0/attention/self/")) {
                continue;
            }
            Onnx.TensorProto h = constants.get(n.getInput(2));
            Onnx.TensorProto d = constants.get(n.getInput(3));
            if (h == null || d == null) {
                continue;
            }
            long nh = OnnxWeights.toArray(h, src).getLong(0);
            long hd = OnnxWeights.toArray(d, src).getLong(0);
            if (nh > 0 && nh * hd == hidden) {
                return (int) nh;
            }
        }
        throw new ModelFormatException(src + ": cannot find the number of attention heads in the graph; "
                + "give the model's config.json");
    }

    private static double epsilon(Onnx.ModelProto model, Map<String, Onnx.TensorProto> constants, String src) {
        for (Onnx.NodeProto n : model.getGraph().getNodeList()) {
            if (n.getOpType().equals("Add") && n.getName().equals("/embeddings/LayerNorm/Add")) {
                for (String in : n.getInputList()) {
                    Onnx.TensorProto t = constants.get(in);
                    if (t != null) {
                        // stored as float32: 1e-12 reads back as 9.99999996e-13; keep the decimal it was written as
                        return Double.parseDouble(Float.toString(OnnxWeights.toArray(t, src).getFloat(0)));
                    }
                }
            }
        }
        return 1e-12;
    }
}
