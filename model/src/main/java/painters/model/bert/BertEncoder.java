package painters.model.bert;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.tokenizer.TokenBatch;

/**
 * A runnable SameDiff graph of a BERT encoder whose blocks run in a given order (by default
 * 0..T-1, the pretrained model). Outputs are named {@code hidden.k}: the hidden state entering step
 * k ({@code hidden.0} is the embedding output) and, for k = steps, the final state, which is also
 * {@code last_hidden_state}. All are {@code [batch, seq, hidden]}.
 */
public final class BertEncoder {

    public static final String LAST_HIDDEN = "last_hidden_state";

    private final BertWeights weights;
    private final int[] order;
    private final SameDiff sd;

    private BertEncoder(BertWeights weights, int[] order) {
        this.weights = weights;
        this.order = order.clone();
        this.sd = SameDiff.create();
        BertBlocks blocks = new BertBlocks(sd, weights);
        BertBlocks.Inputs in = blocks.placeholders();
        SDVariable x = sd.identity(hiddenName(0), blocks.embeddings(in));
        for (int k = 0; k < order.length; k++) {
            x = sd.identity(hiddenName(k + 1), blocks.block(order[k], x, in));
        }
        sd.identity(LAST_HIDDEN, x);
    }

    /** The pretrained encoder: blocks 0..T-1 in order. */
    public static BertEncoder of(BertWeights weights) {
        int[] all = new int[weights.config().numLayers()];
        Arrays.setAll(all, i -> i);
        return new BertEncoder(weights, all);
    }

    /** An encoder running the given block indices in sequence (repeats reuse the same weights). */
    public static BertEncoder ofOrder(BertWeights weights, int... order) {
        for (int i : order) {
            if (i < 0 || i >= weights.config().numLayers()) {
                throw new IllegalArgumentException("block " + i + " outside 0.." + (weights.config().numLayers() - 1));
            }
        }
        return new BertEncoder(weights, order);
    }

    /** Name of the state entering step {@code k} (k = number of steps: the final state). */
    public static String hiddenName(int k) {
        return "hidden." + k;
    }

    public BertConfig config() {
        return weights.config();
    }

    public BertWeights weights() {
        return weights;
    }

    public int[] order() {
        return order.clone();
    }

    /** The underlying graph (for analyses that add outputs or listeners). */
    public SameDiff graph() {
        return sd;
    }

    /** Placeholder values for a batch. */
    public static Map<String, INDArray> feed(TokenBatch batch) {
        Map<String, INDArray> ph = new HashMap<>();
        ph.put("input_ids", batch.idsArray());
        ph.put("token_type_ids", batch.typeIdsArray());
        ph.put("position_ids", batch.positionsArray());
        ph.put("attention_mask", batch.maskArray());
        return ph;
    }

    /** {@code last_hidden_state}, {@code [batch, seq, hidden]}. */
    public INDArray forward(TokenBatch batch) {
        return sd.output(feed(batch), LAST_HIDDEN).get(LAST_HIDDEN);
    }

    /** Every hidden state: embeddings output, then the output of each step ({@code steps + 1} arrays). */
    public List<INDArray> hiddenStates(TokenBatch batch) {
        String[] names = new String[order.length + 1];
        for (int k = 0; k <= order.length; k++) {
            names[k] = hiddenName(k);
        }
        Map<String, INDArray> out = sd.output(feed(batch), names);
        List<INDArray> states = new ArrayList<>(names.length);
        for (String n : names) {
            states.add(out.get(n));
        }
        return states;
    }
}
