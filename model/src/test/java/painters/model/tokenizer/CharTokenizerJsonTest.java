package painters.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The character tokenizer, read by the HF tokenizers runtime: one id per character, newlines kept, round trip. */
class CharTokenizerJsonTest {

    @Test
    void everyCharacterIsOnePieceAndDecodingGivesTheTextBack(@TempDir Path dir) throws Exception {
        String train = "First Citizen:\nBefore we proceed, hear me speak.\n\nAll: Speak, speak.";
        Path f = dir.resolve("tokenizer.json");
        Files.writeString(f, CharTokenizerJson.of(train));
        int size = CharTokenizerJson.vocabSize(train);
        try (HfTextTokenizer t = HfTextTokenizer.fromFile(f, CharTokenizerJson.BOS, CharTokenizerJson.EOS, size)) {
            String text = "Speak,\nhear me.";
            int[] ids = t.encode(text);
            assertEquals(text.length(), ids.length, "one id per character");
            assertEquals(text, t.decode(ids));
            // ids in code-point order after the three special tokens: '\n' (10) is id 3, ' ' (32) id 4
            assertArrayEquals(new int[] {3, 4}, t.encode("\n "));
            assertEquals(CharTokenizerJson.UNK, t.encode("Z")[0], "a character the text never had");
        }
    }
}
