package painters.eval.lm;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs many requests in chunks so that long tasks show progress (rate and time left). */
public final class LmRuns {

    private static final Logger log = LoggerFactory.getLogger(LmRuns.class);

    static final int CHUNK = 2048;

    private LmRuns() {}

    public static List<LanguageModel.LogLikelihood> loglikelihood(LanguageModel lm, List<LanguageModel.TokenPair> reqs,
                                                                  String task) {
        List<LanguageModel.LogLikelihood> out = new ArrayList<>(reqs.size());
        long t0 = System.nanoTime();
        for (int s = 0; s < reqs.size(); s += CHUNK) {
            out.addAll(lm.loglikelihood(reqs.subList(s, Math.min(reqs.size(), s + CHUNK))));
            if (reqs.size() > CHUNK) {
                double secs = (System.nanoTime() - t0) / 1e9;
                double rate = out.size() / secs;
                log.info("{}: {}/{} requests, {}/s, about {} s left", task, out.size(), reqs.size(),
                        String.format("%.1f", rate), String.format("%.0f", (reqs.size() - out.size()) / rate));
            }
        }
        return out;
    }
}
