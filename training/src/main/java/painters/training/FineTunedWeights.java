package painters.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.UserInputException;
import painters.model.family.LoadedModel;
import painters.model.graph.GraphWeights;
import painters.model.graph.LoraAdapters;
import painters.model.plan.LayerPlan;

/**
 * A fine-tuning run's newest checkpoint read back as the model it trained: every trained pretrained tensor replaces
 * the model's, and LoRA adapters are merged into their weights ({@code W + (alpha/R) B A}, float64, rounded once to
 * the weight's dtype; alpha and R from the policy the checkpoint records). The checkpoint must be of this model (same
 * checksum and derivation, e.g. the same linear repair) and this plan. A task head (encoder classifiers) is not part of
 * the model and is left out; untied repeats (trained with {@code --untie}) have one tensor per application, which a
 * model with one tensor per block cannot hold, and are refused.
 */
public final class FineTunedWeights {

    /** The model with the checkpoint's weights, and the names of checkpoint tensors that are not the model's. */
    public record Applied(LoadedModel model, int replaced, int merged, List<String> leftOut) {}

    private FineTunedWeights() {}

    public static Applied apply(LoadedModel model, LayerPlan plan, Path checkpoints) throws IOException {
        Checkpoints.State s = Checkpoints.load(checkpoints);
        if (s == null) {
            throw new UserInputException(checkpoints + ": no checkpoint here (no " + Checkpoints.LATEST + " file)");
        }
        Path where = Checkpoints.latest(checkpoints).resolve("state.json");
        Map<String, String> run = s.run();
        if (run.isEmpty()) {
            throw new UserInputException(where + ": written before checkpoints recorded their run (model, plan, policy); "
                    + "fine-tune again to export it");
        }
        expect(where, RunFacts.MODEL_SHA256, run, model.sha256(), "a checkpoint of another model");
        expect(where, RunFacts.PLAN, run, plan.print(), "trained under another plan");
        String derivation = derivation(run.get(RunFacts.MODEL));
        if (!derivation.equals(derivation(model.id()))) {
            throw new UserInputException(where + ": trained on the model" + (derivation.isEmpty() ? " as loaded"
                    : " with" + derivation) + ", not" + (derivation(model.id()).isEmpty() ? " as loaded"
                    : " with" + derivation(model.id())) + "; give the run's --repair options");
        }
        UnfreezePolicy policy = UnfreezePolicy.parse(run.get(RunFacts.POLICY));
        Map<String, INDArray> tensors = new TreeMap<>();
        Map<String, INDArray> a = new TreeMap<>();
        Map<String, INDArray> b = new TreeMap<>();
        List<String> leftOut = new ArrayList<>();
        for (var e : s.params().entrySet()) {
            String n = e.getKey();
            if (n.startsWith(LoraAdapters.A)) {
                a.put(n.substring(LoraAdapters.A.length()), e.getValue());
            } else if (n.startsWith(LoraAdapters.B)) {
                b.put(n.substring(LoraAdapters.B.length()), e.getValue());
            } else if (!GraphWeights.baseName(n).equals(n)) {
                throw new UserInputException(where + ": holds " + n + ", an untied copy of a repeated block (trained with "
                        + "--untie); a plain model has one tensor per block and cannot hold it");
            } else if (model.weights().tensors().containsKey(n)) {
                tensors.put(n, e.getValue());
            } else {
                leftOut.add(n);
            }
        }
        if (!a.keySet().equals(b.keySet())) {
            throw new UserInputException(where + ": LoRA adapters come in A/B pairs; unpaired: " + symmetricDifference(a, b));
        }
        Map<String, INDArray> replaced = new LinkedHashMap<>();
        tensors.forEach((n, t) -> replaced.put(n, like(t.castTo(DataType.DOUBLE), model.weights().get(n))));
        for (String n : a.keySet()) {
            INDArray w = model.weights().tensors().get(n);
            if (w == null) {
                throw new UserInputException(where + ": LoRA adapter of " + n + ", which " + model.id() + " does not have");
            }
            INDArray base = tensors.containsKey(n) ? tensors.get(n) : w;
            INDArray delta = b.get(n).castTo(DataType.DOUBLE).mmul(a.get(n).castTo(DataType.DOUBLE)).muli(policy.loraScale());
            replaced.put(n, like(base.castTo(DataType.DOUBLE).add(delta), w));
        }
        String what = "fine-tuned " + checkpoints.getFileName() + " step " + s.step();
        return new Applied(replaced.isEmpty() ? model : model.withTensors(replaced, what), tensors.size(), a.size(),
                List.copyOf(leftOut));
    }

    private static INDArray like(INDArray value, INDArray pretrained) {
        if (!Arrays.equals(value.shape(), pretrained.shape())) {
            throw new IllegalStateException("trained tensor " + Arrays.toString(value.shape())
                    + " for a pretrained one " + Arrays.toString(pretrained.shape()));
        }
        return value.castTo(pretrained.dataType());
    }

    private static void expect(Path where, String key, Map<String, String> run, String actual, String what) {
        if (!actual.equals(run.get(key))) {
            throw new UserInputException(where + ": " + what + " (" + key + " " + run.get(key) + ", here " + actual + ")");
        }
    }

    /** What an id says was derived from the loaded checkpoint (" + linear repair of block 3"), empty for none. */
    private static String derivation(String id) {
        int plus = id == null ? -1 : id.indexOf(" + ");
        return plus < 0 ? "" : id.substring(plus);
    }

    private static String symmetricDifference(Map<String, ?> a, Map<String, ?> b) {
        Set<String> d = new TreeSet<>(a.keySet());
        d.addAll(b.keySet());
        Set<String> both = new TreeSet<>(a.keySet());
        both.retainAll(b.keySet());
        d.removeAll(both);
        return d.toString();
    }
}
