package painters.eval.lm;

import java.util.Collections;
import java.util.List;
import painters.model.UserInputException;

/**
 * One multiple-choice item as log-likelihood requests: choice i is scored as
 * {@code log P(continuations[i] | contexts[i])}. Ordinary multiple choice repeats one context;
 * WinoGrande's partial scoring varies the context and keeps the continuation.
 *
 * @param contexts      one per choice
 * @param continuations one per choice, with lm-eval's leading space
 * @param choiceTexts   the choice as written (its length in characters normalises acc_norm)
 * @param gold          index of the right choice
 * @param where         file:line, for messages
 */
public record ChoiceDoc(List<String> contexts, List<String> continuations, List<String> choiceTexts, int gold,
                        String where) {

    public ChoiceDoc {
        if (contexts.size() != continuations.size() || contexts.size() != choiceTexts.size() || contexts.size() < 2) {
            throw new UserInputException(where + ": need >= 2 choices with a context and continuation each");
        }
        if (gold < 0 || gold >= contexts.size()) {
            throw new UserInputException(where + ": gold " + gold + " outside 0.." + (contexts.size() - 1));
        }
        contexts = List.copyOf(contexts);
        continuations = List.copyOf(continuations);
        choiceTexts = List.copyOf(choiceTexts);
    }

    /** Ordinary multiple choice: one context, continuation {@code " " + choice}. */
    public static ChoiceDoc of(String context, List<String> choices, int gold, String where) {
        return new ChoiceDoc(Collections.nCopies(choices.size(), context),
                choices.stream().map(c -> " " + c).toList(), choices, gold, where);
    }

    public int size() {
        return contexts.size();
    }
}
