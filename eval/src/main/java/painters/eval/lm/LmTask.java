package painters.eval.lm;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import painters.eval.metric.Metric;
import painters.eval.task.TaskScore;
import painters.model.UserInputException;
import painters.model.weights.Checksums;

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

    /**
     * The chance level of the primary metric on the items {@link #evaluate} scores with this limit (the
     * value its {@link TaskScore} reports), without a model: multiple choice computes it from the items.
     */
    default double chance(Path data, int limit) {
        return chance();
    }

    /** The files read, relative to the data folder. */
    List<String> files();

    /**
     * Scores {@code lm}.
     *
     * @param limit score only the first {@code limit} documents (0: all)
     */
    TaskScore evaluate(LanguageModel lm, LmRequests requests, Path data, int limit);

    /**
     * The train split as documents to fine-tune a language model on (each the prompt followed by its
     * gold answer, as the task formats them), and the files they come from. Tasks without a train
     * split say so.
     */
    default TrainSplit trainSplit(Path data) {
        throw new UserInputException("language-model task " + name() + " has no train split to fine-tune on "
                + "(tasks with one: arc-easy, arc-challenge, gsm8k; or give a text or JSONL file)");
    }

    /** Documents of a train split and the files they were read from (relative to the data folder). */
    record TrainSplit(List<String> documents, List<String> files) {}

    /** SHA-256 over the SHA-256s of the task's files under {@code data}. */
    default String dataChecksum(Path data) {
        MessageDigest md = Checksums.sha256();
        for (String f : files()) {
            md.update(HexFormat.of().parseHex(Checksums.sha256Of(data.resolve(f))));
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
