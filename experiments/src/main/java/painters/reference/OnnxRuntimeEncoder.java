package painters.reference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import onnx.Onnx;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import painters.model.family.ModelFamilies;
import painters.model.tokenizer.TokenBatch;

/**
 * An ONNX BERT export run by ONNX Runtime (CPU), optionally with the block-boundary states added as
 * graph outputs ({@link painters.model.family.OnnxExports#stateNames}), so they can be compared with SameDiff's {@code resid_pre.k}.
 */
public final class OnnxRuntimeEncoder implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final List<String> stateNames;
    private final String lastHidden;

    /**
     * @param model     the parsed export
     * @param numLayers its number of blocks; with {@code withStates} every boundary state becomes an output
     * @param threads   intra-op threads of ONNX Runtime
     */
    public OnnxRuntimeEncoder(Onnx.ModelProto model, int numLayers, boolean withStates, int threads, String source)
            throws OrtException {
        this.stateNames = withStates ? ModelFamilies.onnxExports().stateNames(model, numLayers, source) : List.of();
        this.lastHidden = model.getGraph().getOutput(0).getName();
        Onnx.ModelProto m = withStates ? ModelFamilies.onnxExports().withOutputs(model, stateNames) : model;
        OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
        opts.setIntraOpNumThreads(threads);
        opts.setInterOpNumThreads(1);
        opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        session = env.createSession(m.toByteArray(), opts);
    }

    /** Graph tensor names of {@code resid_pre.0 .. resid_pre.(T-1), resid_final} (empty unless built with states). */
    public List<String> stateNames() {
        return stateNames;
    }

    /** {@code last_hidden_state} {@code [batch, seq, hidden]}. */
    public INDArray forward(TokenBatch batch) throws OrtException {
        return run(batch, List.of(lastHidden)).get(lastHidden);
    }

    /** Every boundary state, {@code resid_pre.0 .. resid_pre.(T-1), resid_final}. */
    public List<INDArray> hiddenStates(TokenBatch batch) throws OrtException {
        if (stateNames.isEmpty()) {
            throw new IllegalStateException("built without state outputs");
        }
        Map<String, INDArray> out = run(batch, stateNames);
        return stateNames.stream().map(out::get).toList();
    }

    /** Runs the batch and returns the named outputs as FLOAT arrays. */
    public Map<String, INDArray> run(TokenBatch batch, List<String> outputs) throws OrtException {
        Map<String, OnnxTensor> in = new HashMap<>();
        in.put("input_ids", OnnxTensor.createTensor(env, batch.ids()));
        in.put("attention_mask", OnnxTensor.createTensor(env, batch.mask()));
        if (session.getInputNames().contains("token_type_ids")) {
            in.put("token_type_ids", OnnxTensor.createTensor(env, batch.typeIds()));
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        try (OrtSession.Result r = session.run(in, Set.copyOf(outputs))) {
            for (String name : outputs) {
                OnnxTensor t = (OnnxTensor) r.get(name).orElseThrow();
                FloatBuffer fb = t.getFloatBuffer();
                float[] f = new float[fb.remaining()];
                fb.get(f);
                out.put(name, Nd4j.create(f, t.getInfo().getShape(), 'c'));
            }
        } finally {
            in.values().forEach(OnnxValue::close);
        }
        return out;
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
