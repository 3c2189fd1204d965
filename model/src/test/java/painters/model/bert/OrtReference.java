package painters.model.bert;

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
import painters.model.tokenizer.TokenBatch;

/** ONNX Runtime on an ONNX BERT export: the independent reference of the parity tests. */
final class OrtReference implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    OrtReference(Onnx.ModelProto model, int threads) throws OrtException {
        OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
        opts.setIntraOpNumThreads(threads);
        opts.setInterOpNumThreads(1);
        session = env.createSession(model.toByteArray(), opts);
    }

    /** Runs the batch and returns the requested outputs as FLOAT arrays. */
    Map<String, INDArray> run(TokenBatch batch, List<String> outputs) throws OrtException {
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
