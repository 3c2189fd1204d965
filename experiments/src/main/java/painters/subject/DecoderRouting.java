package painters.subject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import painters.eval.lm.DecoderLm;
import painters.eval.lm.LanguageModel;
import painters.eval.metric.Metric;
import painters.eval.route.PlanOutcomes;
import painters.eval.route.RouteData;
import painters.model.UserInputException;
import painters.model.family.CausalLm;
import painters.model.family.LmGraph;
import painters.model.graph.FrozenGraphs;
import painters.training.LmCorpus;

/**
 * A router's data on a decoder's corpus: the corpus cut into windows as fine-tuning cuts it (BOS before each
 * document, consecutive windows of the settings' max length), the last {@code heldOut} share scored, the rest
 * (capped by the settings' trainMax, the first ones) trained on. The router reads the first {@code context} tokens
 * of a window (the mean over them of the state after the shared prefix) and picks the plan that predicts the rest:
 * every plan is scored on the same tokens, each predicted from everything before it, so the decision never sees a
 * token it helps predict. A window's cost under a plan is its mean negative log-likelihood per scored token (nats);
 * its outcome the summed negative log-likelihood over its scored tokens, so a choice's score is the perplexity of
 * all scored tokens.
 */
final class DecoderRouting {

    private static final Logger log = LoggerFactory.getLogger(DecoderRouting.class);

    private DecoderRouting() {}

    static RouteData compute(CausalLm m, SubjectSettings s, LmCorpus corpus, RouteRequest r) {
        int win = Math.min(s.maxLength(), m.contextLength());
        int ctx = r.context();
        if (ctx < 1 || ctx > win - 1) {
            throw new UserInputException("router.context " + ctx + " must leave a scored token in windows of " + win
                    + " tokens (1.." + (win - 1) + ")");
        }
        LmCorpus.Split windows = corpus.split(m.tokenizer(), win, r.heldOut(), s.trainMax());
        List<int[]> train = windows.train();
        if (train.size() < 2) {
            throw new UserInputException(corpus.name() + ": " + train.size() + " training window(s) of " + win
                    + " tokens; a router needs at least 2 to train on");
        }
        int all = windows.trainAll();
        List<int[]> test = windows.heldOut();
        int k = r.plans().size();
        double[][] cost = new double[train.size()][k];
        double[][] nll = new double[test.size()][k];
        double[] tokens = new double[test.size()];
        for (int c = 0; c < k; c++) {
            log.info("{}: router data, plan {} ({}/{}), {} + {} windows", corpus.name(), r.plans().get(c).print(), c + 1, k,
                    train.size(), test.size());
            DecoderLm lm = new DecoderLm(m.graph(r.plans().get(c)), m.tokenizer(), s.batchSize(), win);
            List<LanguageModel.LogLikelihood> tr = lm.loglikelihood(requests(train, ctx));
            for (int i = 0; i < train.size(); i++) {
                cost[i][c] = -tr.get(i).logProb() / tr.get(i).tokens();
            }
            List<LanguageModel.LogLikelihood> te = lm.loglikelihood(requests(test, ctx));
            for (int i = 0; i < test.size(); i++) {
                nll[i][c] = -te.get(i).logProb();
                tokens[i] = te.get(i).tokens();
            }
        }
        LmGraph prefix = m.graph(r.prefixPlan());
        String protocol = String.format(Locale.ROOT, "causal LM on %s: windows of %d tokens, the router reads the first %d "
                + "and every plan predicts the other %d; training costs: mean NLL per predicted token (nats) on %d "
                + "windows%s; scored: perplexity of the last %.0f%% (%d windows); router features: mean over the first %d "
                + "tokens of the state after blocks 0..%d", corpus.name(), win, ctx, win - ctx, train.size(),
                train.size() < all ? " of " + all : "", 100 * r.heldOut(), test.size(), ctx, r.prefix() - 1);
        return new RouteData(corpus.name(), -1, corpus.checksum(), Metric.PERPLEXITY.id(), Double.NaN,
                r.plans(), r.prefix(), features(prefix, train, ctx, s.batchSize()), cost,
                features(prefix, test, ctx, s.batchSize()), new PlanOutcomes(nll, tokens, true), protocol);
    }

    private static List<LanguageModel.TokenPair> requests(List<int[]> windows, int ctx) {
        List<LanguageModel.TokenPair> out = new ArrayList<>();
        for (int[] w : windows) {
            out.add(new LanguageModel.TokenPair(Arrays.copyOf(w, ctx), Arrays.copyOfRange(w, ctx, w.length)));
        }
        return out;
    }

    /** Per window, the mean over its first {@code ctx} tokens of the prefix's final state. */
    private static double[][] features(LmGraph prefix, List<int[]> windows, int ctx, int batch) {
        double[][] out = new double[windows.size()][];
        for (int b = 0; b < windows.size(); b += batch) {
            List<int[]> seqs = new ArrayList<>();
            for (int i = b; i < Math.min(windows.size(), b + batch); i++) {
                seqs.add(Arrays.copyOf(windows.get(i), ctx));
            }
            List<INDArray> states = prefix.hiddenStates(seqs);
            INDArray last = states.get(states.size() - 1);
            INDArray mean = last.mean(1);
            double[][] rows = mean.toDoubleMatrix();
            System.arraycopy(rows, 0, out, b, rows.length);
            FrozenGraphs.free(mean);
            states.forEach(FrozenGraphs::free);
        }
        return out;
    }
}
