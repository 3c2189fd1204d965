package painters.model.repair;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import painters.model.UserInputException;
import painters.model.family.HiddenStates;
import painters.model.family.LoadedModel;
import painters.model.plan.LayerPlan;
import painters.model.tokenizer.TokenBatch;
import painters.model.weights.Part;
import painters.model.weights.TensorSpec;

/**
 * A training-free repair of a plan that removes one contiguous span of blocks {@code i+1 .. j} (ReplaceMe, Shumaylov
 * et al. 2025): a linear map T applied to the MLP output of block i, the last block before the span, before its
 * residual add, fitted by least squares (optional ridge) so that {@code residual + mlp_out T} matches the state the full
 * model has after block j, over every real token of calibration texts. T folds exactly into block i's down projection
 * ({@code W' = T^T W}, {@code b' = b T}); the repaired model holds those derived tensors and the pretrained arrays never
 * change. A plan that runs the span's blocks rearranged instead (reversed, shuffled, some left out: {@code 0-4,7,6,5,8-11})
 * takes the map on the last block it runs there (block 5), fitted the same way to the full model's state after the
 * span; that block must run once in the plan, since the fold changes every run of it. That placement needs blocks that add the MLP output to the stream unchanged
 * ({@link LoadedModel#mlpOutputAddsToStream}: pre-norm decoders without a norm after the MLP).
 *
 * <p>Post-norm blocks (BERT: the stream is the output LayerNorm's {@code gamma * n + beta}) take it after that norm,
 * where a full d x d map folds into no tensor (the next block reads the stream both as its residual and as its
 * attention input). There the map is per-channel, {@code y' = a * y + c}, fitted channel by channel by least squares
 * (the same ridge), and folds exactly into the norm ({@code gamma' = a * gamma}, {@code beta' = a * beta + c}):
 * {@link #map} is then {@code diag(a)} and {@link #shift} is c. Blocks that normalise their MLP output before the
 * residual add (Gemma-2, OLMo-2) take neither and are refused.
 *
 * <p>The MLP output and its residual are read without a family's internals: block i's output with its down
 * projection zeroed is the residual r, and the output minus r is the MLP output m.
 *
 * @param block   i, the block whose down projection takes the map (-1: nothing removed, the identity)
 * @param removed    the model's blocks the plan does not run in order there (the span), in order
 * @param runInstead what the plan runs in the span's place: empty for a removal, the span's blocks reordered (or a
 *                   subset of them) otherwise
 * @param map     T, {@code [hidden, hidden]}, float64 (diagonal for a post-norm repair)
 * @param shift   c, {@code [hidden]}, float64, for a post-norm repair (null for a map on the MLP output)
 * @param ridge   the ridge added to the normal equations (times the mean diagonal of m^T m)
 * @param rows    calibration tokens the map was fitted on
 * @param texts   calibration texts
 * @param seconds wall time of the fit (states and solve)
 * @param flops   FLOPs of the fit: three forward passes of blocks 0..j over the calibration tokens (2 x parameters
 *                applied per token) plus the normal equations (2 rows d^2) and the solve (d^3)
 */
public record LinearRepair(int block, List<Integer> removed, List<Integer> runInstead, INDArray map, INDArray shift, double ridge, long rows,
                           int texts,
                           double seconds, double flops) {

    /**
     * Fits the repair of {@code plan} on {@code model} over {@code calibration} texts (never the scored items: the
     * caller takes them from a training split or corpus).
     */
    public static LinearRepair fit(LoadedModel model, LayerPlan plan, List<String> calibration, int batchSize,
                                   int maxLength, double ridge) {
        if (calibration.isEmpty()) {
            throw new UserInputException("repair linear needs calibration texts (a training split or corpus)");
        }
        return fit(model, plan, hs -> hs.batches(calibration, batchSize, maxLength), calibration.size(), ridge);
    }

    /**
     * Whether {@code plan} on {@code model} takes a linear repair that changes anything (one cut; a pre-norm model, or a
     * post-norm one with a shifted output norm).
     */
    public static boolean applies(LoadedModel model, LayerPlan plan) {
        try {
            Cut c = cut(model, plan);
            return c != null && (model.mlpOutputAddsToStream() || !model.outputNorm(c.taker()).isEmpty());
        } catch (UserInputException e) {
            return false;
        }
    }

    /**
     * Where a plan departs from the model: blocks {@code first .. next-1} of the model (the span) are replaced by the
     * plan's steps {@code region} (empty: removed; a permutation: reordered), and {@code taker}, the last block run
     * before the plan continues in order ({@code upTo} is the plan up to and including it), takes the map.
     */
    private record Cut(int taker, int first, int next, List<Integer> region, List<Integer> upTo) {}

    /**
     * The plan's cut, or null for a plan that changes nothing. A plan of another shape (not one contiguous span
     * removed or rearranged, a first block removed with nothing before it, a taker run twice) is a one-line error.
     */
    private static Cut cut(LoadedModel model, LayerPlan plan) {
        int t = model.numLayers();
        List<Integer> seq = plan.asSequence().orElseThrow(() -> refuse(plan, "it has parallel steps, merges or loops"));
        int i = 0;
        while (i < seq.size() && seq.get(i) == i) {
            i++;
        }
        if (i == t) {
            return null;
        }
        // the longest suffix that runs in order to the last block, after the common prefix
        int s = seq.size();
        if (s > i && seq.get(s - 1) == t - 1) {
            s--;
            while (s > i && seq.get(s - 1) == seq.get(s) - 1) {
                s--;
            }
        }
        int next = s < seq.size() ? seq.get(s) : t;
        List<Integer> region = List.copyOf(seq.subList(i, s));
        if (next < i || region.isEmpty() && next == i) {
            throw refuse(plan, "it is not the model with one contiguous span removed or rearranged");
        }
        int takerAt = region.isEmpty() ? i - 1 : s - 1;
        if (takerAt < 0) {
            throw refuse(plan, "it removes block 0, so no block before the span takes the map");
        }
        int taker = seq.get(takerAt);
        if (seq.stream().filter(b -> b == taker).count() > 1) {
            throw refuse(plan, "block " + taker + " would take the map but runs " + seq.stream().filter(b -> b == taker)
                    .count() + " times, and folding it there changes every run");
        }
        return new Cut(taker, i, next, region, List.copyOf(seq.subList(0, takerAt + 1)));
    }

    /**
     * Fits the repair over the token batches {@code calibration} makes (a corpus's training windows, or texts), of
     * {@code texts} texts or windows.
     */
    public static LinearRepair fit(LoadedModel model, LayerPlan plan, Function<HiddenStates, List<TokenBatch>> calibration,
                                   int texts, double ridge) {
        int t = model.numLayers();
        Cut cut = cut(model, plan);
        if (cut == null) {
            return new LinearRepair(-1, List.of(), List.of(), Nd4j.eye(model.hiddenSize()).castTo(DataType.DOUBLE), null,
                    ridge, 0, 0, 0, 0);
        }
        int before = cut.taker();
        if (!model.mlpOutputAddsToStream()) {
            if (!model.outputNorm(before).isEmpty()) {
                return fitAfterNorm(model, cut, calibration, texts, ridge);
            }
            throw new UserInputException("repair linear folds a map into block " + before + "'s down projection or "
                    + "output norm; " + model.id() + " (" + model.family() + ") normalises its MLP output before the "
                    + "residual add, where neither folds");
        }
        List<TensorSpec> down = model.weights().layout().all().stream()
                .filter(s -> s.block() == before && s.part() == Part.DOWN).toList();
        if (down.isEmpty()) {
            throw new IllegalStateException(model.family() + " block " + before + " has no down projection in its layout");
        }
        long start = System.nanoTime();
        Map<String, INDArray> zeroed = new LinkedHashMap<>();
        down.forEach(s -> zeroed.put(s.name(), model.weights().get(s.name()).mul(0)));
        LoadedModel noMlp = model.withTensors(zeroed, "block " + before + " without its MLP");
        LayerPlan upTo = LayerPlan.sequence(t, cut.upTo());
        LayerPlan full = LayerPlan.sequence(t, range(0, cut.next() - 1));
        List<double[]> y = lastStates(model, upTo, calibration);
        List<double[]> r = lastStates(noMlp, upTo, calibration);
        List<double[]> target = lastStates(model, full, calibration);
        int n = y.size();
        int d = model.hiddenSize();
        double[][] m = new double[n][];
        double[][] goal = new double[n][];
        for (int k = 0; k < n; k++) {
            m[k] = new double[d];
            goal[k] = new double[d];
            for (int c = 0; c < d; c++) {
                m[k][c] = y.get(k)[c] - r.get(k)[c];
                goal[k][c] = target.get(k)[c] - r.get(k)[c];
            }
        }
        if (n < 2 * d) {
            throw new UserInputException("repair linear fits a " + d + " x " + d + " map and needs at least " + 2 * d
                    + " calibration tokens; " + texts + " texts gave " + n);
        }
        INDArray map = LeastSquares.solve(m, goal, ridge);
        double seconds = (System.nanoTime() - start) / 1e9;
        double flops = (2 * forward(model, upTo) + forward(model, full)) * n + 2.0 * n * d * d + 2.0 * n * d * d
                + (double) d * d * d;
        return new LinearRepair(before, range(cut.first(), cut.next() - 1), cut.region(), map, null, ridge, n, texts,
                seconds, flops);
    }

    /** Forward FLOPs per token of {@code plan} (2 x parameters applied). */
    private static double forward(LoadedModel model, LayerPlan plan) {
        return model.trainingFlopsPerToken(plan, 0) / 3.0;
    }

    /** The per-channel map {@code a * y + c} after the taker's output norm (post-norm blocks). */
    private static LinearRepair fitAfterNorm(LoadedModel model, Cut cut,
                                             Function<HiddenStates, List<TokenBatch>> calibration, int texts,
                                             double ridge) {
        int t = model.numLayers();
        long start = System.nanoTime();
        LayerPlan upTo = LayerPlan.sequence(t, cut.upTo());
        LayerPlan full = LayerPlan.sequence(t, range(0, cut.next() - 1));
        List<double[]> y = lastStates(model, upTo, calibration);
        List<double[]> z = lastStates(model, full, calibration);
        int n = y.size();
        int d = model.hiddenSize();
        if (n < 2) {
            throw new UserInputException("repair linear fits a shift and a scale per channel and needs at least 2 "
                    + "calibration tokens; " + texts + " texts gave " + n);
        }
        double[][] yy = y.toArray(double[][]::new);
        double[][] zz = z.toArray(double[][]::new);
        double[][] ac = LeastSquares.solveAffine(yy, zz, ridge);
        double seconds = (System.nanoTime() - start) / 1e9;
        double flops = (forward(model, upTo) + forward(model, full)) * n + 6.0 * n * d;
        return new LinearRepair(cut.taker(), range(cut.first(), cut.next() - 1), cut.region(),
                Nd4j.diag(Nd4j.createFromArray(ac[0])), Nd4j.createFromArray(ac[1]), ridge, n, texts, seconds, flops);
    }


    /**
     * The model with the map folded into block {@link #block}'s down projection: {@code W' = T^T W} for a weight stored
     * {@code [hidden, inner]} ({@code W T} for one stored {@code [inner, hidden]}), {@code b' = b T}; a post-norm
     * repair into its output norm ({@code gamma' = a * gamma}, {@code beta' = a * beta + c}).
     */
    public LoadedModel apply(LoadedModel model) {
        if (block < 0) {
            return model;
        }
        Map<String, INDArray> folded = new LinkedHashMap<>();
        if (shift != null) {
            List<String> norm = model.outputNorm(block);
            INDArray a = Nd4j.diag(map);
            INDArray gamma = model.weights().get(norm.get(0));
            INDArray beta = model.weights().get(norm.get(1));
            folded.put(norm.get(0), gamma.castTo(DataType.DOUBLE).mul(a).castTo(gamma.dataType()));
            folded.put(norm.get(1), beta.castTo(DataType.DOUBLE).mul(a).add(shift).castTo(beta.dataType()));
            return model.withTensors(folded, "linear repair of block " + block);
        }
        int d = model.hiddenSize();
        for (TensorSpec s : model.weights().layout().all()) {
            if (s.block() != block || s.part() != Part.DOWN) {
                continue;
            }
            INDArray w = model.weights().get(s.name());
            INDArray w64 = w.castTo(DataType.DOUBLE);
            INDArray out;
            if (w.rank() == 1) {
                out = w64.reshape(1, d).mmul(map).reshape(d);
            } else if (w.size(0) == d) {
                out = map.transpose().mmul(w64);
            } else {
                out = w64.mmul(map);
            }
            folded.put(s.name(), out.castTo(w.dataType()));
        }
        return model.withTensors(folded, "linear repair of block " + block);
    }

    /** The repair in a line: where the map folds, what it replaces, what it was fitted on and what it cost. */
    public String describe() {
        if (block < 0) {
            return "linear repair: nothing removed, the identity map";
        }
        return String.format(Locale.ROOT, "linear repair: %s block %d's %s for %s, fitted on "
                + "%,d tokens of %d texts (ridge %.1e) in %.1f s, %.2e FLOPs", shift == null ? "map on" : "per-channel map "
                + "after", block, shift == null ? "MLP output" : "output norm", runInstead.isEmpty() ? "removed blocks "
                + removed : "blocks " + removed + " run as " + runInstead, rows, texts, ridge, seconds, flops);
    }

    /** The state after the plan's last step, one row per real token, in batch order. */
    private static List<double[]> lastStates(LoadedModel model, LayerPlan plan,
                                             Function<HiddenStates, List<TokenBatch>> calibration) {
        HiddenStates hs = model.hiddenStates(plan);
        List<double[]> rows = new ArrayList<>();
        for (TokenBatch b : calibration.apply(hs)) {
            List<INDArray> states = hs.states(b);
            INDArray last = states.get(states.size() - 1).castTo(DataType.DOUBLE);
            for (int r = 0; r < b.batchSize(); r++) {
                for (int p = 0; p < b.length(r); p++) {
                    rows.add(last.get(NDArrayIndex.point(r), NDArrayIndex.point(p), NDArrayIndex.all()).toDoubleVector());
                }
            }
        }
        return rows;
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> out = new ArrayList<>();
        for (int k = from; k <= to; k++) {
            out.add(k);
        }
        return out;
    }

    private static UserInputException refuse(LayerPlan plan, String why) {
        return new UserInputException("repair linear needs a plan that removes or rearranges one contiguous span of "
                + "blocks (e.g. 0-4,8-11 or 0-4,7,6,5,8-11); " + plan.print() + " cannot take one: " + why);
    }
}
