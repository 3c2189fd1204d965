package painters.eval.lm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import painters.eval.task.TaskScore;
import painters.model.UserInputException;
import painters.model.family.CausalLm;
import painters.model.plan.LayerPlan;

/**
 * Scores language-model tasks on a decoder under a layer plan.
 *
 * @param batchSize requests per forward pass
 * @param maxLength context length in tokens (0: the model's max positions)
 * @param addBos    put BOS before every context (lm-eval v0.4 does not for Llama; small models may need it)
 * @param limit     documents per task (0: all)
 */
public record LmEvaluator(Path data, int batchSize, int maxLength, boolean addBos, int limit) {

    private static final Logger log = LoggerFactory.getLogger(LmEvaluator.class);

    /** The language model of {@code m} under {@code plan}. */
    public DecoderLm lm(CausalLm m, LayerPlan plan) {
        int len = maxLength > 0 ? Math.min(maxLength, m.contextLength()) : m.contextLength();
        return new DecoderLm(m.graph(plan), m.tokenizer(), batchSize, len);
    }

    public TaskScore score(LanguageModel lm, LmTask task) {
        if (data == null) {
            throw new UserInputException("language-model tasks need the data folder (--data DIR, laid out as "
                    + "../shared/data)");
        }
        long t0 = System.nanoTime();
        TaskScore s = task.evaluate(lm, new LmRequests(lm.tokenizer(), addBos), data, limit).withProportionErrors();
        log.info("{}: {} {} = {} on {} items in {} s", task.name(), s.primary().id(), "", String.format("%.4f",
                s.primaryValue()), s.n(), String.format("%.1f", (System.nanoTime() - t0) / 1e9));
        return s;
    }

    public List<TaskScore> score(CausalLm m, LayerPlan plan, List<String> tasks) {
        DecoderLm lm = lm(m, plan);
        List<TaskScore> out = new ArrayList<>();
        for (String t : tasks) {
            out.add(score(lm, LmTasks.get(t)));
        }
        return out;
    }
}
