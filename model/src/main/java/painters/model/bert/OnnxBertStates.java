package painters.model.bert;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import onnx.Onnx;
import painters.model.ModelFormatException;

/**
 * Finds the hidden states at block boundaries inside an ONNX BERT export, so an independent runtime
 * (ONNX Runtime) can report them next to SameDiff's {@code resid_pre.k}: the state entering block k is
 * the activation input of block k's query MatMul; the final state is the graph's first output.
 */
public final class OnnxBertStates {

    private OnnxBertStates() {}

    /** Tensor names of {@code resid_pre.0 .. resid_pre.(T-1), resid_final} in the graph ({@code numLayers + 1} names). */
    public static List<String> stateNames(Onnx.ModelProto model, int numLayers, String source) {
        List<String> names = new ArrayList<>();
        Onnx.GraphProto g = model.getGraph();
        for (int k = 0; k < numLayers; k++) {
            String bias = "encoder.layer." + k + ".attention.self.query.bias";
            String found = null;
            for (Onnx.NodeProto add : g.getNodeList()) {
                if (add.getOpType().equals("Add") && add.getInputList().contains(bias)) {
                    String mm = add.getInput(0).equals(bias) ? add.getInput(1) : add.getInput(0);
                    for (Onnx.NodeProto n : g.getNodeList()) {
                        if (n.getOpType().equals("MatMul") && n.getOutput(0).equals(mm)) {
                            found = n.getInput(0);
                        }
                    }
                }
            }
            if (found == null) {
                throw new ModelFormatException(source + ": cannot locate the input of block " + k
                        + " (no Add(MatMul, " + bias + "))");
            }
            names.add(found);
        }
        names.add(g.getOutput(0).getName());
        return names;
    }

    /** A copy of {@code model} that also outputs the given tensors (FLOAT). */
    public static Onnx.ModelProto withOutputs(Onnx.ModelProto model, List<String> tensorNames) {
        Onnx.GraphProto.Builder g = model.getGraph().toBuilder();
        Set<String> existing = new HashSet<>();
        g.getOutputList().forEach(o -> existing.add(o.getName()));
        for (String name : tensorNames) {
            if (existing.add(name)) {
                g.addOutput(Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder()
                        .setTensorType(Onnx.TypeProto.Tensor.newBuilder()
                                .setElemType(Onnx.TensorProto.DataType.FLOAT.getNumber()))));
            }
        }
        return model.toBuilder().setGraph(g).build();
    }
}
