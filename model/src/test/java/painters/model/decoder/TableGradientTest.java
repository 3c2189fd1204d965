package painters.model.decoder;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import painters.model.family.ModelFamilies;
import painters.model.graph.TrainingGraph;
import painters.model.plan.LayerPlan;
import painters.model.weights.TensorSpec;

/**
 * Embedding tables that train (pre-training) are looked up by a one-hot product: their gradient, with repeated token
 * ids in the batch (where M2.1's gather gradient goes wrong), equals central finite differences of the loss on tiny
 * Qwen2 (tied head: the table is read twice) and GPT-2 (learned positions too), to 3% relative, float32; twice the
 * gradient (the negative control) does not.
 */
class TableGradientTest {

    static final List<int[]> SEQS = List.of(new int[] {1, 5, 5, 9, 5, 17, 9}, new int[] {1, 9, 9, 9, 30, 5, 2});

    @Test
    void tableGradientsMatchFiniteDifferences() {
        for (String variant : List.of("qwen2", "gpt2")) {
            DecoderModel m = (DecoderModel) ModelFamilies.load(Path.of("src/test/resources/families").resolve(variant)
                    .toString());
            Set<String> every = m.weights().layout().all().stream().map(TensorSpec::name).collect(Collectors.toSet());
            DecoderTrainingGraph g = DecoderTrainingGraph.build(m.weights(), LayerPlan.identity(m.numLayers()), every,
                    false, Set.of(), 0, 1);
            Map<String, INDArray> feed = g.feed(SEQS);
            TrainingGraph.LossAndGrads lg = g.lossAndGradients(feed);
            TensorNames names = m.config().spec().names();
            List<String> tables = names.has(TensorRole.POS_EMBED)
                    ? List.of(names.name(TensorRole.EMBED), names.name(TensorRole.POS_EMBED))
                    : List.of(names.name(TensorRole.EMBED));
            for (String table : tables) {
                INDArray grad = lg.grads().get(table);
                INDArray live = g.parameters().get(table);
                // the three largest entries of the gradient: rows of repeated ids (5 and 9, positions 0..6)
                INDArray flat = grad.reshape(-1);
                double worst = 0;
                double control = Double.MAX_VALUE;
                for (int k = 0; k < 3; k++) {
                    long at = Nd4j.argMax(Transforms.abs(flat))
                            .getLong(0);
                    double analytic = flat.getDouble(at);
                    flat.putScalar(at, 0);
                    long r = at / live.size(1);
                    long c = at % live.size(1);
                    double h = 1e-2;
                    double x = live.getDouble(r, c);
                    live.putScalar(new long[] {r, c}, x + h);
                    double up = g.lossAndGradients(feed).loss();
                    live.putScalar(new long[] {r, c}, x - h);
                    double down = g.lossAndGradients(feed).loss();
                    live.putScalar(new long[] {r, c}, x);
                    double numeric = (up - down) / (2 * h);
                    worst = Math.max(worst, Math.abs(analytic - numeric) / Math.abs(numeric));
                    control = Math.min(control, Math.abs(2 * analytic - numeric) / Math.abs(numeric));
                }
                System.out.printf("[tables] %s %s: analytic vs finite differences %.2e relative (twice the gradient "
                        + "%.2f)%n", variant, table, worst, control);
                assertTrue(worst < 0.03, variant + " " + table + ": " + worst);
                assertTrue(control > 0.5, variant + " " + table + ": negative control " + control);
            }
        }
    }
}
