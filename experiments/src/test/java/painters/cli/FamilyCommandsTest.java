package painters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import painters.model.family.LoadedModel;
import painters.model.family.ModelFamilies;

/**
 * Every decoder family through the commands and a grid study, unchanged: the tiny random-weight checkpoints of
 * each family's HF format ({@code model/src/test/resources/families}, proven against numpy references in
 * {@code FamilyGoldenTest}) are described, generate under surgery plans with the KV cache and plan their memory
 * ({@code study.FamilyStudyTest} runs a grid study on each).
 */
class FamilyCommandsTest {

    static final Path FAMILIES = Path.of("../model/src/test/resources/families").toAbsolutePath().normalize();

    @ParameterizedTest
    @ValueSource(strings = {"qwen2", "qwen2_window", "qwen3", "gemma", "gemma2", "phi3", "phi3_longrope", "gpt_neox",
            "gpt_neox_sequential", "gpt2", "olmo2"})
    void describeGenerateAndPlanMemoryRunOnEveryFamily(String variant) {
        String model = FAMILIES.resolve(variant).toString();
        String type = variant.startsWith("gpt_neox") ? "gpt_neox" : variant.replaceFirst("_(window|longrope)$", "");
        CliTest.Run d = CliTest.run("describe", "--model", model);
        assertEquals(0, d.code(), d.err());
        assertTrue(d.out().contains(type + " decoder, 4 layers"), d.out());
        for (String plan : List.of("0-3", "0,2,3", "0,1,1,2,3", "0,2,1,3", "0,P(1-2),3")) {
            CliTest.Run g = CliTest.run("generate", "--model", model, "--plan", plan, "--prompt", "the cat sat",
                    "--max-tokens", "6");
            assertEquals(0, g.code(), variant + " " + plan + ": " + g.err());
            assertTrue(g.out().contains("plan   ") && g.out().contains("tokens generated in"), variant + " " + plan + ": "
                    + g.out());
        }
        CliTest.Run m = CliTest.run("plan-memory", "--model", model, "--plan", "0,1,1,2,3", "--policy", "all", "--seq", "32");
        assertEquals(0, m.code(), m.err());
    }

    /** convert writes each family's own HF format: read back, every tensor is the same; bf16 halves the file. */
    @ParameterizedTest
    @ValueSource(strings = {"qwen2", "gemma2", "phi3_longrope", "gpt_neox", "gpt2", "olmo2"})
    void convertWritesTheFamilysFormatBack(String variant, @TempDir Path dir) throws Exception {
        Path src = FAMILIES.resolve(variant);
        CliTest.Run c = CliTest.run("convert", "--model", src.toString(), "--out", dir.resolve("fp32").toString());
        assertEquals(0, c.code(), c.err());
        assertTrue(c.out().contains("tokenizer.json"), c.out());
        LoadedModel a = ModelFamilies.load(src.toString());
        LoadedModel b = ModelFamilies.load(dir.resolve("fp32").toString());
        assertEquals(a.family(), b.family());
        assertEquals(a.weights().tensors().keySet(), b.weights().tensors().keySet());
        a.weights().tensors().forEach((n, x) -> assertEquals(x, b.weights().tensors().get(n), variant + " " + n));
        assertEquals(Files.readAllLines(src.resolve("tokenizer.json")), Files.readAllLines(dir.resolve("fp32/tokenizer.json")));
        CliTest.Run h = CliTest.run("convert", "--model", src.toString(), "--dtype", "bf16", "--out",
                dir.resolve("bf16").toString());
        assertEquals(0, h.code(), h.err());
        assertTrue(Files.readString(dir.resolve("bf16/config.json")).contains("\"torch_dtype\": \"bfloat16\""));
        long full = Files.size(dir.resolve("fp32/model.safetensors"));
        long half = Files.size(dir.resolve("bf16/model.safetensors"));
        assertTrue(half < 0.6 * full, half + " vs " + full);
        assertEquals(0, CliTest.run("describe", "--model", dir.resolve("bf16").toString()).code());
    }

    /**
     * finetune on a family with fused projections: GPT-2's q and v share c_attn ([in 32, out 96]), so LoRA on q,v is
     * one adapter of r (32 + 96) per block the plan runs (3 of 4 with one block skipped).
     */
    @Test
    void finetuneAdaptsTheFusedProjectionOnce(@TempDir Path dir) throws Exception {
        Path data = Path.of(System.getProperty("painters.shared", "../shared")).resolve("data").toAbsolutePath();
        Assumptions.assumeTrue(Files.isDirectory(data.resolve("tinyshakespeare")),
                "skipped: no Tiny Shakespeare under " + data);
        Path text = dir.resolve("story.txt");
        Files.writeString(text, Files.readString(data.resolve("tinyshakespeare/input.txt")).substring(0, 4_000));
        CliTest.Run r = CliTest.run("finetune", "--model", FAMILIES.resolve("gpt2").toString(), "--data", data.toString(),
                "--text", text.toString(), "--variant", "skip", "--split", "1", "--policy", "lora:4:q,v:alpha=8",
                "--steps", "2", "--eval-every", "1", "--batch-size", "4", "--max-length", "32", "--lr", "1e-2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("story.txt perplexity"), r.out());
        assertTrue(r.out().contains("trainable parameters " + String.format("%,d", 3 * 4 * (32 + 96))), r.out());
    }

    /** --max-tokens: below 1 is an error naming it; far beyond the model's positions generates until they are full. */
    @Test
    void maxTokensIsCheckedAndCappedByThePositions() {
        String model = FAMILIES.resolve("qwen3").toString();
        ErrorMessagesTest.oneLine(CliTest.run("generate", "--model", model, "--max-tokens", "-5"), "--max-tokens",
                "at least 1, got -5");
        CliTest.Run r = CliTest.run("generate", "--model", model, "--prompt", "the cat", "--max-tokens", "1000000000");
        assertEquals(0, r.code(), r.err());
        // a prompt of at least one token in 64 positions: at most 63 new tokens (fewer if EOS comes first)
        Matcher m = Pattern.compile("(\\d+) tokens generated").matcher(r.out());
        assertTrue(m.find(), r.out());
        int n = Integer.parseInt(m.group(1));
        assertTrue(n >= 1 && n <= 63, r.out());
    }
}
