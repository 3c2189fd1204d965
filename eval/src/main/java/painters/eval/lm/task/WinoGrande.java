package painters.eval.lm.task;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import painters.eval.lm.ChoiceDoc;
import painters.eval.lm.JsonLines;
import painters.eval.lm.MultipleChoice;

/**
 * WinoGrande dev with partial scoring (lm-eval's winogrande): the sentence up to the blank filled with
 * each option is the context, the rest ({@code " " + continuation}) is scored under both. acc only.
 */
public final class WinoGrande extends MultipleChoice {

    @Override
    public String name() {
        return "winogrande";
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
        return List.of("winogrande/winogrande_dev_llmfoundry.jsonl");
    }

    @Override
    public List<ChoiceDoc> docs(Path data) {
        List<ChoiceDoc> docs = new ArrayList<>();
        for (JsonLines.Row r : JsonLines.read(data.resolve(files().get(0)))) {
            List<String> ctx = r.strings("context_options");
            String cont = " " + r.string("continuation").strip();
            docs.add(new ChoiceDoc(ctx, Collections.nCopies(ctx.size(), cont), ctx, r.integer("gold"), r.where()));
        }
        return docs;
    }
}
