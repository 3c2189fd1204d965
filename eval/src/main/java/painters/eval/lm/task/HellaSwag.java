package painters.eval.lm.task;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import painters.eval.lm.ChoiceDoc;
import painters.eval.lm.JsonLines;
import painters.eval.lm.MultipleChoice;
import painters.model.UserInputException;

/**
 * HellaSwag validation in the six-lines-per-item text form ({@code "<activity>: <ctx>"}, gold 0-3,
 * four endings; already preprocessed as lm-eval does): context as given, choices {@code " " + ending}.
 */
public final class HellaSwag extends MultipleChoice {

    @Override
    public String name() {
        return "hellaswag";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public List<String> files() {
        return List.of("hellaswag/hellaswag_val_full.txt");
    }

    @Override
    public List<ChoiceDoc> docs(Path data) {
        Path f = data.resolve(files().get(0));
        List<String> lines = JsonLines.lines(f);
        if (lines.size() % 6 != 0) {
            throw new UserInputException(f + ": " + lines.size() + " lines, not a multiple of 6 "
                    + "(context, label, 4 endings per item)");
        }
        List<ChoiceDoc> docs = new ArrayList<>();
        for (int i = 0; i < lines.size(); i += 6) {
            int gold;
            try {
                gold = Integer.parseInt(lines.get(i + 1).trim());
            } catch (NumberFormatException e) {
                throw new UserInputException(f + ":" + (i + 2) + ": label \"" + lines.get(i + 1)
                        + "\" is not 0-3", e);
            }
            docs.add(ChoiceDoc.of(lines.get(i), lines.subList(i + 2, i + 6), gold, f + ":" + (i + 1)));
        }
        return docs;
    }
}
