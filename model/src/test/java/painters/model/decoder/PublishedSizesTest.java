package painters.model.decoder;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import painters.model.ModelFormatException;
import painters.model.family.Architecture;
import painters.model.family.ModelFamilies;

/**
 * Parameter counts from a bare {@code config.json} (what {@code plan-memory} reads) equal the published ones, for
 * the families whose real checkpoints are not here: the configs are the hub's, written out by the test.
 */
class PublishedSizesTest {

    /** openai-community/gpt2's config.json (keys the count depends on). */
    static final String GPT2 = """
            {"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"], "vocab_size": 50257, "n_positions": 1024,
             "n_embd": 768, "n_layer": 12, "n_head": 12, "n_inner": null, "activation_function": "gelu_new",
             "layer_norm_epsilon": 1e-05, "bos_token_id": 50256, "eos_token_id": 50256}""";

    /** EleutherAI/pythia-160m's config.json. */
    static final String PYTHIA_160M = """
            {"model_type": "gpt_neox", "architectures": ["GPTNeoXForCausalLM"], "vocab_size": 50304,
             "hidden_size": 768, "intermediate_size": 3072, "num_hidden_layers": 12, "num_attention_heads": 12,
             "max_position_embeddings": 2048, "rotary_pct": 0.25, "rotary_emb_base": 10000, "hidden_act": "gelu",
             "layer_norm_eps": 1e-05, "use_parallel_residual": true, "tie_word_embeddings": false,
             "bos_token_id": 0, "eos_token_id": 0, "torch_dtype": "float16"}""";

    @Test
    void gpt2SmallHas124439808Parameters(@TempDir Path dir) throws Exception {
        // 124,439,808: "GPT-2 (124M)" as nanoGPT and the HF model card count it (the paper's "117M" miscounted)
        Architecture a = arch(dir, GPT2);
        assertEquals("gpt2", a.family());
        assertEquals(124_439_808L, a.parameters());
        assertEquals(12, a.numLayers());
    }

    @Test
    void pythia160mHas162322944Parameters(@TempDir Path dir) throws Exception {
        // Biderman et al. 2023 (Pythia), Table 1: 162,322,944 total, 85,056,000 non-embedding parameters
        Architecture a = arch(dir, PYTHIA_160M);
        assertEquals("gptneox", a.family());
        assertEquals(162_322_944L, a.parameters());
        assertEquals("float16", a.checkpointDtype());
    }

    @Test
    void aConfigThatNeedsAnUnsupportedSwitchIsAOneLineErrorNamingTheKey(@TempDir Path dir) throws Exception {
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> arch(dir, GPT2.replace("\"n_inner\": null", "\"scale_attn_by_inverse_layer_idx\": true")));
        assertTrue(e.getMessage().contains("config.json") && e.getMessage().contains("scale_attn_by_inverse_layer_idx"),
                e.getMessage());
        e = assertThrows(ModelFormatException.class, () -> arch(dir, PYTHIA_160M.replace("\"gelu\"", "\"relu\"")));
        assertTrue(e.getMessage().contains("hidden_act") && e.getMessage().contains("relu"), e.getMessage());
    }

    private static Architecture arch(Path dir, String json) throws Exception {
        Path c = dir.resolve("config.json");
        Files.writeString(c, json);
        return ModelFamilies.architecture(c.toString());
    }
}
