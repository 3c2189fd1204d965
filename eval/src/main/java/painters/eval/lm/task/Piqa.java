package painters.eval.lm.task;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import painters.eval.lm.ChoiceDoc;
import painters.eval.lm.JsonLines;
import painters.eval.lm.MultipleChoice;
import painters.model.UserInputException;

/** PIQA validation (valid.jsonl + valid-labels.lst), lm-eval's piqa: {@code "Question: {goal}\nAnswer:"}. */
public final class Piqa extends MultipleChoice {

    @Override
    public String name() {
        return "piqa";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public List<String> files() {
        return List.of("piqa/valid.jsonl", "piqa/valid-labels.lst");
    }

    @Override
    public List<ChoiceDoc> docs(Path data) {
        List<JsonLines.Row> rows = JsonLines.read(data.resolve(files().get(0)));
        Path labelsFile = data.resolve(files().get(1));
        List<String> labels = JsonLines.lines(labelsFile).stream().filter(l -> !l.isBlank()).toList();
        if (labels.size() != rows.size()) {
            throw new UserInputException(labelsFile + ": " + labels.size() + " labels for " + rows.size()
                    + " items in " + data.resolve(files().get(0)));
        }
        List<ChoiceDoc> docs = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            JsonLines.Row r = rows.get(i);
            String l = labels.get(i).trim();
            if (!l.equals("0") && !l.equals("1")) {
                throw new UserInputException(labelsFile + ":" + (i + 1) + ": label \"" + l + "\" is not 0 or 1");
            }
            docs.add(ChoiceDoc.of("Question: " + r.string("goal") + "\nAnswer:",
                    List.of(r.string("sol1"), r.string("sol2")), Integer.parseInt(l), r.where()));
        }
        return docs;
    }
}
