package painters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
        CliTest.Run m = CliTest.run("plan-memory", "--model", model, "--plan", "0,1,1,2,3", "--policy", "all");
        assertEquals(0, m.code(), m.err());
    }
}
