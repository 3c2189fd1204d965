package painters.training;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import painters.eval.lm.LmTask;
import painters.eval.lm.LmTasks;
import painters.model.UserInputException;
import painters.model.io.Utf8Text;
import painters.model.tokenizer.TextTokenizer;
import painters.model.weights.Checksums;

/**
 * What a decoder is fine-tuned on with the causal LM loss: documents from a plain-text file (one
 * document), a JSON Lines file (one document per line, its {@code "text"} field), or the train split
 * of a language-model task (its prompts with their gold answers: arc-easy, arc-challenge, gsm8k).
 *
 */
public final class LmCorpus {

    private final String name;
    private final String checksum;
    private final List<String> documents;
    /** Windows already cut, by tokenizer and window length: every run of a study cuts the same ones. */
    private final Map<String, List<int[]>> windows = new ConcurrentHashMap<>();

    public LmCorpus(String name, String checksum, List<String> documents) {
        this.name = name;
        this.checksum = checksum;
        this.documents = List.copyOf(documents);
        if (documents.isEmpty()) {
            throw new UserInputException(name + ": no documents to fine-tune on");
        }
    }

    public String name() {
        return name;
    }

    public String checksum() {
        return checksum;
    }

    public List<String> documents() {
        return documents;
    }

    /**
     * Reads {@code source}: a language-model task name (its train split, files under {@code data}), or a
     * {@code .jsonl} or text file; in a file's path {@code ${data}} is replaced by {@code data} (as in task specs),
     * so that a study file names e.g. {@code ${data}/wikitext2/valid.txt} wherever the data folder is.
     */
    public static LmCorpus load(String source, Path data) {
        if (source.contains("${data}")) {
            if (data == null) {
                throw new UserInputException(source + ": names ${data} but no data folder is given (--data or the "
                        + "study's \"data\")");
            }
            source = source.replace("${data}", data.toString());
        }
        if (LmTasks.exists(source)) {
            if (data == null) {
                throw new UserInputException("fine-tuning on " + source + "'s train split needs the data folder");
            }
            LmTask task = LmTasks.get(source);
            LmTask.TrainSplit split = task.trainSplit(data);
            MessageDigest md = Checksums.sha256();
            for (String f : split.files()) {
                md.update(HexFormat.of().parseHex(Checksums.sha256Of(data.resolve(f))));
            }
            return new LmCorpus(source + " train", HexFormat.of().formatHex(md.digest()), split.documents());
        }
        Path file = Path.of(source);
        if (!Files.isRegularFile(file)) {
            throw new UserInputException(source + ": not a language-model task with a train split (" + LmTasks.names()
                    + ") nor a text or .jsonl file");
        }
        String text = Utf8Text.read(file);
        List<String> docs = file.toString().endsWith(".jsonl") ? jsonl(file, text) : List.of(text);
        return new LmCorpus(file.getFileName().toString(), Checksums.sha256Of(file), docs);
    }

    private static List<String> jsonl(Path file, String text) {
        List<String> docs = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonElement e = JsonParser.parseString(line);
                if (!e.isJsonObject() || !e.getAsJsonObject().has("text")
                        || !e.getAsJsonObject().get("text").isJsonPrimitive()) {
                    throw new UserInputException(file + ":" + lineNo + ": expected an object with a \"text\" string");
                }
                docs.add(e.getAsJsonObject().get("text").getAsString());
            } catch (JsonParseException e) {
                throw new UserInputException(file + ":" + lineNo + ": not JSON: " + e.getMessage(), e);
            }
        }
        return docs;
    }

    /**
     * The windows cut in two: the last {@code heldOutShare} of them (at least one) held out, the rest to train on (the
     * first {@code trainMax} of them when > 0), as fine-tuning and routers split a corpus.
     *
     * @param train    the training windows (a new list)
     * @param heldOut  the held-out windows
     * @param trainAll training windows before the cap
     */
    public record Split(List<int[]> train, List<int[]> heldOut, int trainAll) {}

    public Split split(TextTokenizer tok, int window, double heldOutShare, int trainMax) {
        List<int[]> all = windows(tok, window);
        int held = Math.max(1, (int) Math.round(all.size() * heldOutShare));
        if (all.size() - held < 1) {
            throw new UserInputException(name + ": " + all.size() + " windows of " + window
                    + " tokens; need at least 2");
        }
        List<int[]> t = new ArrayList<>(all.subList(0, all.size() - held));
        int trainAll = t.size();
        if (trainMax > 0 && t.size() > trainMax) {
            t.subList(trainMax, t.size()).clear();
        }
        return new Split(t, all.subList(all.size() - held, all.size()), trainAll);
    }

    /**
     * The documents as training windows: each document is BOS followed by its tokens, the documents are
     * concatenated and cut into consecutive windows of {@code window} tokens (the remainder dropped).
     */
    public List<int[]> windows(TextTokenizer tok, int window) {
        return windows.computeIfAbsent(tok.source() + "|" + window, k -> cut(tok, window));
    }

    private List<int[]> cut(TextTokenizer tok, int window) {
        List<int[]> ids = new ArrayList<>();
        int total = 0;
        for (String d : documents) {
            int[] enc = tok.encode(d);
            int[] withBos = new int[enc.length + 1];
            withBos[0] = tok.bos();
            System.arraycopy(enc, 0, withBos, 1, enc.length);
            ids.add(withBos);
            total += withBos.length;
        }
        int[] all = new int[total];
        int at = 0;
        for (int[] d : ids) {
            System.arraycopy(d, 0, all, at, d.length);
            at += d.length;
        }
        List<int[]> windows = new ArrayList<>();
        for (int s = 0; s + window <= all.length; s += window) {
            windows.add(Arrays.copyOfRange(all, s, s + window));
        }
        return List.copyOf(windows);
    }
}
