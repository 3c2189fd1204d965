package painters.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import painters.model.ModelFormatException;

/**
 * The BGE tokenizer (bert-base-uncased WordPiece) on tricky text. Expected tokens follow HF's
 * BertNormalizer + BertPreTokenizer rules (clean text: drop NUL and format/control characters, map
 * tabs to spaces; lowercase; strip accents; split CJK ideographs into single characters; words
 * with no WordPiece cover become [UNK]). Ids are checked against the vocabulary parsed separately
 * from tokenizer.json, and a few ids every BERT user knows are pinned.
 */
class HfTokenizerTest {

    static final String RESOURCE = "/bge-small-en-v1.5-tokenizer.json";
    static HfTokenizer tok;
    static JsonObject vocab;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = HfTokenizerTest.class.getResourceAsStream(RESOURCE)) {
            tok = HfTokenizer.fromStream(in, RESOURCE, 16);
        }
        try (InputStream in = HfTokenizerTest.class.getResourceAsStream(RESOURCE)) {
            vocab = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject()
                    .getAsJsonObject("model").getAsJsonObject("vocab");
        }
    }

    @AfterAll
    static void close() {
        tok.close();
    }

    static void expect(String text, String... tokens) {
        List<String> expected = new ArrayList<>();
        expected.add("[CLS]");
        expected.addAll(List.of(tokens));
        expected.add("[SEP]");
        assertEquals(expected, tok.tokens(text), "tokens of " + text);
        long[] ids = tok.ids(text);
        long[] fromVocab = expected.stream().mapToLong(t -> vocab.get(t).getAsLong()).toArray();
        assertArrayEquals(fromVocab, ids, "ids of " + text);
    }

    @Test
    void wellKnownIds() {
        assertArrayEquals(new long[] {101, 7592, 1010, 2088, 999, 102}, tok.ids("Hello, world!"));
        assertEquals(0, tok.padId());
    }

    @Test
    void accentsAreStrippedAndTextLowercased() {
        expect("Café NAÏVE résumé", "cafe", "naive", "resume");
    }

    @Test
    void cjkIdeographsAreSplitIntoCharacters() {
        expect("東京", "東", "京");
    }

    @Test
    void emojiBecomesUnknown() {
        expect("I love 🤗", "i", "love", "[UNK]");
    }

    @Test
    void controlAndFormatCharactersAreDropped() {
        // NUL and U+200B (zero-width space, category Cf) vanish; a tab separates words
        expect("a\u0000b\tc\u200Bd", "ab", "cd");
    }

    @Test
    void pairsGetTypeIdsAndSeparators() {
        TokenBatch b = tok.encodePairs(List.of("how are you"), List.of("fine thanks"));
        assertArrayEquals(new long[] {101, vocab.get("how").getAsLong(), vocab.get("are").getAsLong(),
                vocab.get("you").getAsLong(), 102, vocab.get("fine").getAsLong(), vocab.get("thanks").getAsLong(), 102},
                b.ids()[0]);
        assertArrayEquals(new long[] {0, 0, 0, 0, 0, 1, 1, 1}, b.typeIds()[0]);
    }

    @Test
    void truncationKeepsSpecialTokensWithinMaxLength() {
        String longText = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen";
        long[] ids = tok.ids(longText);
        assertEquals(16, ids.length);
        assertEquals(101, ids[0]);
        assertEquals(102, ids[15]);
        TokenBatch pair = tok.encodePairs(List.of(longText), List.of(longText));
        assertEquals(16, pair.seqLength());
        assertEquals(2, Arrays.stream(pair.ids()[0]).filter(i -> i == 102).count());
    }

    @Test
    void batchesArePaddedOnTheRightWithMask() {
        TokenBatch b = tok.encode(List.of("a b c d e", "a"));
        assertEquals(7, b.seqLength());
        assertEquals(7, b.length(0));
        assertEquals(3, b.length(1));
        assertArrayEquals(new long[] {1, 1, 1, 0, 0, 0, 0}, b.mask()[1]);
        assertArrayEquals(new long[] {101, vocab.get("a").getAsLong(), 102, 0, 0, 0, 0}, b.ids()[1]);
    }

    @Test
    void aFileThatIsNotATokenizerIsNamed(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("tokenizer.json");
        Files.writeString(bad, "{\"model\": 42}");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> HfTokenizer.fromFile(bad, 16));
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
        ModelFormatException missing = assertThrows(ModelFormatException.class,
                () -> HfTokenizer.fromFile(dir.resolve("nope.json"), 16));
        assertTrue(missing.getMessage().contains("nope.json"));
    }
}
