package painters.eval.lm.task;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import painters.eval.lm.ChoiceDoc;
import painters.eval.lm.JsonLines;
import painters.eval.lm.MultipleChoice;

/**
 * ARC (AI2 JSONL), lm-eval's arc_easy / arc_challenge: {@code "Question: {stem}\nAnswer:"}, choices
 * {@code " " + text}; the answer key is matched against the choice labels (letters or digits).
 */
public final class Arc extends MultipleChoice {

    private final boolean challenge;
    private final String split;

    /** @param split "Test" (lm-eval's), "Dev" or "Train" */
    public Arc(boolean challenge, String split) {
        this.challenge = challenge;
        this.split = split;
    }

    @Override
    public String name() {
        return challenge ? "arc-challenge" : "arc-easy";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public List<String> files() {
        return List.of("arc/ARC-" + (challenge ? "Challenge" : "Easy") + "-" + split + ".jsonl");
    }

    /** The train split's questions, each followed by its gold answer (the scored prompt and continuation). */
    @Override
    public TrainSplit trainSplit(Path data) {
        Arc train = new Arc(challenge, "Train");
        List<String> docs = new ArrayList<>();
        for (ChoiceDoc d : train.docs(data)) {
            docs.add(d.contexts().get(d.gold()) + d.continuations().get(d.gold()));
        }
        return new TrainSplit(docs, train.files());
    }

    @Override
    public List<ChoiceDoc> docs(Path data) {
        List<ChoiceDoc> docs = new ArrayList<>();
        for (JsonLines.Row r : JsonLines.read(data.resolve(files().get(0)))) {
            var q = r.json().getAsJsonObject("question");
            if (q == null) {
                throw r.bad("missing \"question\" object");
            }
            JsonLines.Row qr = new JsonLines.Row(r.file(), r.line(), q);
            String key = r.string("answerKey");
            List<String> texts = new ArrayList<>();
            int gold = -1;
            for (var c : q.getAsJsonArray("choices")) {
                JsonLines.Row cr = new JsonLines.Row(r.file(), r.line(), c.getAsJsonObject());
                if (cr.string("label").equals(key)) {
                    gold = texts.size();
                }
                texts.add(cr.string("text"));
            }
            if (gold < 0) {
                throw r.bad("answerKey \"" + key + "\" is not one of the choice labels");
            }
            docs.add(ChoiceDoc.of("Question: " + qr.string("stem") + "\nAnswer:", texts, gold, r.where()));
        }
        return docs;
    }
}
