package painters.eval.lm.task;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import painters.eval.lm.ChoiceDoc;
import painters.eval.lm.JsonLines;
import painters.eval.lm.MultipleChoice;

/**
 * BoolQ dev in llm-foundry's form ({@code query = "Passage: ...\nQuestion: ...?"}, choices no/yes):
 * context {@code query + "\nAnswer:"}, choices {@code " no"} / {@code " yes"} (lm-eval's boolq prompt,
 * with llm-foundry's "Passage: " prefix). acc is the primary metric (one-word choices).
 */
public final class BoolQ extends MultipleChoice {

    @Override
    public String name() {
        return "boolq";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    protected boolean reportsAccNorm() {
        return false;
    }

    @Override
    public List<String> files() {
        return List.of("boolq/boolq_dev_llmfoundry.jsonl");
    }

    @Override
    public List<ChoiceDoc> docs(Path data) {
        List<ChoiceDoc> docs = new ArrayList<>();
        for (JsonLines.Row r : JsonLines.read(data.resolve(files().get(0)))) {
            docs.add(ChoiceDoc.of(r.string("query") + "\nAnswer:", r.strings("choices"), r.integer("gold"), r.where()));
        }
        return docs;
    }
}
