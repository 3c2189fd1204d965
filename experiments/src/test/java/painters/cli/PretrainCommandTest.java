package painters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pretrain} end to end: a tiny Llama config trained from scratch on a word text with a character tokenizer, no
 * residual connections and LayerDrop 0.25; the folder it writes is read by describe and generate like any checkpoint, with the regime
 * shown; a config of another family than --family is refused in one line.
 */
class PretrainCommandTest {

    static final Path CONFIG_FILE = Path.of("../model/src/test/resources/configs/tiny-llama-2x32.json");

    @Test
    void aPretrainedFolderLoadsAsACheckpointOfItsFamily(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("config.json");
        Files.copy(CONFIG_FILE, config);
        String[] words = {"the", "cat", "sat", "on", "a", "mat", "dog", "ran"};
        Random rnd = new Random(2);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            sb.append(words[rnd.nextInt(words.length)]).append(i % 9 == 8 ? "\n" : " ");
        }
        Path text = dir.resolve("words.txt");
        Files.writeString(text, sb.toString());
        Path out = dir.resolve("tiny");
        CliTest.Run r = CliTest.run("pretrain", "--config", config.toString(), "--family", "llama", "--text",
                text.toString(), "--residual", "none", "--layerdrop", "0.25", "--steps", "12", "--eval-every", "6", "--batch-size", "8",
                "--max-length", "32", "--lr", "3e-3", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("held-out ppl") && r.out().contains("tokens/s") && r.out().contains("of the sgemm peak"),
                r.out());
        for (String f : new String[] {"config.json", "model.safetensors", "tokenizer.json", "painters-pretrain.json"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        var o = JsonParser.parseString(Files.readString(out.resolve("painters-pretrain.json"))).getAsJsonObject();
        assertEquals(3, o.getAsJsonArray("curve").size(), "steps 0, 6 and 12");
        assertTrue(Files.readString(out.resolve("config.json")).contains("\"painters_layerdrop\": 0.25"),
                "the regime is in the config");
        CliTest.Run d = CliTest.run("describe", "--model", out.toString());
        assertEquals(0, d.code(), d.err());
        assertTrue(d.out().contains("residual connections none"), d.out());
        CliTest.Run g = CliTest.run("generate", "--model", out.toString(), "--prompt", "the cat", "--max-tokens", "8");
        assertEquals(0, g.code(), g.err());

        CliTest.Run wrong = CliTest.run("pretrain", "--config", config.toString(), "--family", "gpt2", "--text",
                text.toString(), "--steps", "1", "--out", dir.resolve("wrong").toString());
        assertEquals(2, wrong.code(), wrong.out());
        assertTrue(wrong.err().contains("is a llama config, not gpt2"), wrong.err());
    }
}
