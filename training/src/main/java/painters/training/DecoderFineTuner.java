package painters.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import painters.eval.metric.Metric;
import painters.model.hf.LlamaTensorNames;
import painters.model.llama.LlamaModel;
import painters.model.plan.LayerPlan;
import painters.model.plan.Split;
import painters.model.weights.Checksums;

/**
 * Fine-tunes a decoder run as a layer plan with the causal language-modelling loss on a text file,
 * and records held-out perplexity. The text is tokenized whole (BOS first) and cut into windows of
 * {@code maxLength} tokens; the last {@code heldOut} share of windows is the held-out split, the rest
 * is drawn in a seeded order that depends only on the seed and the micro-batch index (so a resumed
 * run repeats the uninterrupted one). Step 0 is the frozen model. The curve's primary value is the
 * mean held-out log-likelihood per token (higher is better); perplexity is exp(-that).
 */
public final class DecoderFineTuner {

    private final LlamaModel model;
    private final LayerPlan plan;
    private final Split split;
    private final FineTuneConfig cfg;
    private final Path text;
    private final List<int[]> train = new ArrayList<>();
    private final List<int[]> heldOut = new ArrayList<>();
    private int crashAfter;

    public DecoderFineTuner(LlamaModel model, Path text, double heldOutShare, LayerPlan plan, Split split,
                            FineTuneConfig cfg) throws IOException {
        if (cfg.untie() || cfg.policy().isLora() || cfg.policy().kind().equals("head")) {
            throw new IllegalArgumentException("decoder fine-tuning supports the block policies (all, middle, adjacent, "
                    + "first:N, last:N, blocks:LIST); not " + cfg.policy().print() + (cfg.untie() ? " with untie" : ""));
        }
        if (!(heldOutShare > 0 && heldOutShare < 1)) {
            throw new IllegalArgumentException("held-out share must be in (0, 1), got " + heldOutShare);
        }
        this.model = model;
        this.plan = plan;
        this.split = split;
        this.cfg = cfg;
        this.text = text;
        int[] enc = model.tokenizer().encode(Files.readString(text));
        int[] ids = new int[enc.length + 1];
        ids[0] = model.tokenizer().bos();
        System.arraycopy(enc, 0, ids, 1, enc.length);
        int win = Math.min(cfg.maxLength(), model.config().maxPositions());
        List<int[]> windows = new ArrayList<>();
        for (int s = 0; s + win <= ids.length; s += win) {
            windows.add(Arrays.copyOfRange(ids, s, s + win));
        }
        int held = Math.max(1, (int) Math.round(windows.size() * heldOutShare));
        if (windows.size() - held < 1) {
            throw new IllegalArgumentException(text + ": " + ids.length + " tokens make only " + windows.size()
                    + " windows of " + win + "; need at least 2");
        }
        train.addAll(windows.subList(0, windows.size() - held));
        heldOut.addAll(windows.subList(windows.size() - held, windows.size()));
        if (cfg.trainMax() > 0 && train.size() > cfg.trainMax()) {
            train.subList(cfg.trainMax(), train.size()).clear();
        }
    }

    void crashAfter(int steps) {
        this.crashAfter = steps;
    }

    public int trainWindows() {
        return train.size();
    }

    public int heldOutWindows() {
        return heldOut.size();
    }

    public String fingerprint() {
        return String.join("|", model.sha256(), Checksums.sha256Of(text), plan.print(), cfg.policy().print(),
                Long.toString(cfg.seed()), Double.toString(cfg.learningRate()), Integer.toString(cfg.steps()),
                Integer.toString(cfg.batchSize()), Integer.toString(cfg.gradAccum()), Integer.toString(cfg.maxLength()));
    }

    public TrainingLoop.Result run(Path checkpoints) throws IOException {
        Set<String> unfrozen = cfg.policy().trainable(model.weights().tensors().keySet(), LlamaTensorNames::blockOf,
                n -> n.equals(LlamaTensorNames.EMBED), model.config().numLayers(), split);
        DecoderTrainingGraph g = DecoderTrainingGraph.build(model.weights(), plan, unfrozen);
        Trainable t = g.trainable(index -> {
            List<int[]> batch = new ArrayList<>();
            long pos = index * cfg.batchSize();
            int n = train.size();
            for (int k = 0; k < cfg.batchSize(); k++, pos++) {
                int[] perm = FineTuner.permutation(n, cfg.seed() * 1_000_003L + pos / n);
                batch.add(train.get(perm[(int) (pos % n)]));
            }
            TrainingGraph.LossAndGrads lg = g.lossAndGradients(g.feed(batch));
            return new Trainable.Micro(lg.loss(), lg.grads(), batch.size(), batch.stream().mapToLong(b -> b.length).sum());
        }, () -> {
            double ll = 0;
            double n = 0;
            for (int s = 0; s < heldOut.size(); s += cfg.batchSize()) {
                double[] r = g.logLikelihood(heldOut.subList(s, Math.min(heldOut.size(), s + cfg.batchSize())));
                ll += r[0];
                n += r[1];
            }
            Map<Metric, Double> v = new EnumMap<>(Metric.class);
            v.put(Metric.PERPLEXITY, Math.exp(-ll / n));
            return new Trainable.Evaluation(v, ll / n);
        });
        return TrainingLoop.run(t, cfg, checkpoints, fingerprint(), text.getFileName() + " " + plan.print() + " ["
                + cfg.policy().print() + "]", crashAfter);
    }
}
