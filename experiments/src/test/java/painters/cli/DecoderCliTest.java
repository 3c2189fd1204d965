package painters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The decoder commands a user runs, on stories260K (skipped without ../shared/data). */
class DecoderCliTest {

    static Path data;
    static Path stories;

    @BeforeAll
    static void find() {
        data = Path.of(System.getProperty("painters.shared", "../shared")).resolve("data").toAbsolutePath().normalize();
        stories = data.resolve("models/stories260K");
        Assumptions.assumeTrue(Files.isDirectory(stories), "skipped: stories260K not found at " + stories);
    }

    @Test
    void generateFromBosWritesTheDocumentedStoryOpening() {
        CliTest.Run r = CliTest.run("generate", "--model", stories.resolve("hf").toString(), "--max-tokens", "40");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Once upon a time, there was a little girl named Lily. She loved to play outside"),
                r.out());
    }

    @Test
    void evalScoresAPlanNextToTheFullModel() {
        CliTest.Run r = CliTest.run("eval", "--model", stories.resolve("stories260K.bin").toString(), "--data",
                data.toString(), "--tasks", "lambada,piqa", "--limit", "8", "--bos", "--variant", "skip", "--split", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("plan   0-1,4"), r.out());
        assertTrue(r.out().contains("lambada") && r.out().contains("perplexity") && r.out().contains("acc_norm"), r.out());
    }

    @Test
    void evalRepairsACutPlanOnCalibrationTextsAndSaysWhatItFitted() {
        String calibration = data.resolve("tinyshakespeare/input.txt").toString();
        CliTest.Run r = CliTest.run("eval", "--model", stories.resolve("stories260K.bin").toString(), "--data",
                data.toString(), "--tasks", "lambada", "--limit", "8", "--bos", "--plan", "0-1,4", "--no-reference",
                "--repair", "linear", "--repair-data", calibration, "--repair-texts", "64");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("linear repair: map on block 1's MLP output for removed blocks [2, 3], fitted on"),
                r.out());
        assertTrue(r.out().contains("model  " + stories.resolve("stories260K.bin") + " + linear repair of block 1"),
                r.out());
        CliTest.Run bogus = CliTest.run("eval", "--model", stories.resolve("stories260K.bin").toString(), "--plan",
                "0-1,4", "--repair", "nonlinear", "--repair-data", calibration);
        assertEquals(2, bogus.code());
        assertTrue(bogus.err().contains("--repair must be linear or none, got \"nonlinear\""), bogus.err());
        CliTest.Run noData = CliTest.run("eval", "--model", stories.resolve("stories260K.bin").toString(), "--plan",
                "0-1,4", "--repair", "linear");
        assertEquals(2, noData.code());
        assertTrue(noData.err().contains("--repair linear needs --repair-data FILE"), noData.err());
    }

    @Test
    void finetuneRunsADecoderWithLoraAndScoresItsTasksAlongTheCurve() throws Exception {
        Path text = Files.createTempDirectory("ft").resolve("story.txt");
        Files.writeString(text, Files.readString(data.resolve("tinyshakespeare/input.txt")).substring(0, 6_000));
        CliTest.Run r = CliTest.run("finetune", "--model", stories.resolve("stories260K.bin").toString(), "--data",
                data.toString(), "--text", text.toString(), "--variant", "skip", "--split", "1", "--policy",
                "lora:4:q,v:alpha=8", "--tasks", "lambada", "--limit", "4", "--bos", "--steps", "2", "--eval-every", "1",
                "--batch-size", "4", "--max-length", "32", "--lr", "1e-2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("story.txt perplexity") && r.out().contains("lambada accuracy"), r.out());
        // r (in + out) for q (64x64) and v (32x64) in the 3 blocks the plan runs (0, 1, 4; adapters of skipped
        // blocks are never read, so they do not train)
        assertTrue(r.out().contains("trainable parameters " + String.format("%,d", 3 * 4 * ((64 + 64) + (64 + 32)))),
                r.out());
    }

    @Test
    void encoderOnlyCommandsRefuseADecoderClearly() {
        CliTest.Run r = CliTest.run("embed", "--model", stories.resolve("stories260K.bin").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("embed needs a sentence encoder") && r.err().contains("NEXT_TOKEN"), r.err());
    }

    @Test
    void describeNamesTheDecoder() {
        CliTest.Run r = CliTest.run("describe", "--model", stories.resolve("stories260K.bin").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("llama decoder, 5 layers, hidden 64, 8 heads x 8 (4 key/value heads)"), r.out());
    }

    @Test
    void aMissingTokenizerIsAClearError() throws Exception {
        Path lone = Files.createTempDirectory("lone").resolve("model.bin");
        Files.copy(stories.resolve("stories260K.bin"), lone);
        CliTest.Run r = CliTest.run("describe", "--model", lone.toString());
        assertTrue(r.code() != 0);
        assertTrue(r.err().contains("no tokenizer beside it"), r.err());
    }
}
