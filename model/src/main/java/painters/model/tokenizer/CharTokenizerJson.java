package painters.model.tokenizer;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.TreeSet;

/**
 * A character-level tokenizer of a training text as a Hugging Face {@code tokenizer.json}: ids 0-2 are {@code <unk>},
 * {@code <s>} (BOS) and {@code </s>} (EOS), then every code point of the text in code-point order; each character is
 * its own piece (a {@code Split} pre-tokenizer on every character, newlines included), a character the text never had
 * is {@code <unk>}, and decoding joins the pieces ({@code Fuse}). What {@code pretrain} writes when no tokenizer is
 * given: any HF tokenizers runtime reads it.
 */
public final class CharTokenizerJson {

    public static final int UNK = 0;
    public static final int BOS = 1;
    public static final int EOS = 2;
    private static final List<String> SPECIAL = List.of("<unk>", "<s>", "</s>");

    private CharTokenizerJson() {}

    /** The vocabulary size of {@link #of}{@code (text)}. */
    public static int vocabSize(String text) {
        return SPECIAL.size() + codePoints(text).size();
    }

    /** The tokenizer.json text. */
    public static String of(String text) {
        JsonObject vocab = new JsonObject();
        JsonArray added = new JsonArray();
        for (int i = 0; i < SPECIAL.size(); i++) {
            vocab.addProperty(SPECIAL.get(i), i);
            JsonObject a = new JsonObject();
            a.addProperty("id", i);
            a.addProperty("content", SPECIAL.get(i));
            a.addProperty("single_word", false);
            a.addProperty("lstrip", false);
            a.addProperty("rstrip", false);
            a.addProperty("normalized", false);
            a.addProperty("special", true);
            added.add(a);
        }
        int id = SPECIAL.size();
        for (int cp : codePoints(text)) {
            vocab.addProperty(new String(Character.toChars(cp)), id++);
        }
        JsonObject model = new JsonObject();
        model.addProperty("type", "WordLevel");
        model.add("vocab", vocab);
        model.addProperty("unk_token", SPECIAL.get(UNK));
        JsonObject pattern = new JsonObject();
        pattern.addProperty("Regex", "[\\s\\S]");        // any character, newlines too (Oniguruma)
        JsonObject pre = new JsonObject();
        pre.addProperty("type", "Split");
        pre.add("pattern", pattern);
        pre.addProperty("behavior", "Isolated");
        pre.addProperty("invert", false);
        JsonObject decoder = new JsonObject();
        decoder.addProperty("type", "Fuse");
        JsonObject o = new JsonObject();
        o.addProperty("version", "1.0");
        o.add("truncation", null);
        o.add("padding", null);
        o.add("added_tokens", added);
        o.add("normalizer", null);
        o.add("pre_tokenizer", pre);
        o.add("post_processor", null);
        o.add("decoder", decoder);
        o.add("model", model);
        return new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(o) + "\n";
    }

    private static TreeSet<Integer> codePoints(String text) {
        TreeSet<Integer> s = new TreeSet<>();
        text.codePoints().forEach(s::add);
        return s;
    }
}
