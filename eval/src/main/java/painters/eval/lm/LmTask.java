package painters.eval.lm;

import java.nio.file.Path;
import java.util.List;
import painters.eval.head.TaskScore;
import painters.eval.metric.Metric;

/**
 * A language-model benchmark: reads its files under a data folder (laid out as ../shared/data) and
 * scores a {@link LanguageModel}. Zero-shot unless the task says otherwise (GSM8K: k-shot).
 */
public interface LmTask {

    String name();

    /** Bumped whenever prompts or scoring change, recorded with every result. */
    int version();

    Metric primary();

    /** The primary metric's chance level, or NaN when there is none (perplexity). */
    double chance();

    /** The files read, relative to the data folder. */
    List<String> files();

    /**
     * Scores {@code lm}.
     *
     * @param limit score only the first {@code limit} documents (0: all)
     */
    TaskScore evaluate(LanguageModel lm, LmRequests requests, Path data, int limit);
}
