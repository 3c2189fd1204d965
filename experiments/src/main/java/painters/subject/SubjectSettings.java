package painters.subject;

import java.nio.file.Path;
import java.util.List;
import painters.eval.head.PairEncoding;

/**
 * How a subject scores and fine-tunes: the settings of a study (or a command) that the protocols read.
 *
 * @param tasks         tasks to score (null: the protocol's default set; empty: none)
 * @param data          data folder for ${data} in task specs and for language-model tasks (null: none)
 * @param batchSize     inputs per forward pass
 * @param maxLength     tokens per input (sentence features; a decoder's fine-tuning windows)
 * @param trainMax      cap on a head's training examples (0: all)
 * @param headSeeds     head seeds the study asks for (a zero-shot protocol accepts one)
 * @param limit         language-model tasks: items scored per task (0: all)
 * @param context       language-model tasks: context length (0: the model's)
 * @param bos           language-model tasks: BOS before every context
 * @param prefixCache   share plan prefixes between plans (sentence features)
 * @param finetuneData  what a next-token model is fine-tuned on: a text or .jsonl file, or an LM task's train
 *                      split (null: none given)
 * @param heldOut       share of the fine-tuning windows held out for perplexity
 * @param pairs         how the frozen protocol's heads read a two-text task (auto: each text alone for a
 *                      bi-encoder, the pair together otherwise)
 */
public record SubjectSettings(List<String> tasks, Path data, int batchSize, int maxLength, int trainMax,
                              List<Long> headSeeds, int limit, int context, boolean bos, boolean prefixCache,
                              String finetuneData, double heldOut, PairEncoding pairs) {

    public SubjectSettings {
        tasks = tasks == null ? null : List.copyOf(tasks);
        headSeeds = headSeeds == null || headSeeds.isEmpty() ? List.of(0L) : List.copyOf(headSeeds);
        pairs = pairs == null ? PairEncoding.AUTO : pairs;
    }

    /** Settings with pairs read as {@link painters.eval.head.PairEncoding#AUTO} says. */
    public SubjectSettings(List<String> tasks, Path data, int batchSize, int maxLength, int trainMax,
                           List<Long> headSeeds, int limit, int context, boolean bos, boolean prefixCache,
                           String finetuneData, double heldOut) {
        this(tasks, data, batchSize, maxLength, trainMax, headSeeds, limit, context, bos, prefixCache, finetuneData,
                heldOut, PairEncoding.AUTO);
    }
}
