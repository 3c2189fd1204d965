package painters.model.llama;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import painters.model.ModelFormatException;
import painters.model.decoder.DecoderConfig;

/** Llama-family config.json reading, checked against published parameter counts and hand-computed RoPE. */
class LlamaHfConfigTest {

    static DecoderConfig read(String json) {
        return LlamaHfConfig.read(new StringReader(json), "config.json");
    }

    static final String LLAMA2_7B = "{\"model_type\":\"llama\",\"hidden_size\":4096,\"intermediate_size\":11008,"
            + "\"num_hidden_layers\":32,\"num_attention_heads\":32,\"num_key_value_heads\":32,\"vocab_size\":32000,"
            + "\"max_position_embeddings\":4096,\"rms_norm_eps\":1e-05,\"rope_theta\":10000.0,\"rope_scaling\":null,"
            + "\"tie_word_embeddings\":false,\"hidden_act\":\"silu\",\"bos_token_id\":1,\"eos_token_id\":2}";

    @Test
    void publishedParameterCounts() {
        assertEquals(6_738_415_616L, read(LLAMA2_7B).parameterCount(), "Llama-2-7B");
        DecoderConfig l3 = read("{\"model_type\":\"llama\",\"hidden_size\":4096,\"intermediate_size\":14336,"
                + "\"num_hidden_layers\":32,\"num_attention_heads\":32,\"num_key_value_heads\":8,\"vocab_size\":128256,"
                + "\"rope_theta\":500000.0,\"rope_scaling\":{\"factor\":8.0,\"low_freq_factor\":1.0,"
                + "\"high_freq_factor\":4.0,\"original_max_position_embeddings\":8192,\"rope_type\":\"llama3\"},"
                + "\"max_position_embeddings\":131072,\"bos_token_id\":128000,\"eos_token_id\":[128001,128008,128009]}");
        assertEquals(8_030_261_248L, l3.parameterCount(), "Llama-3.1-8B");
        assertEquals(128001, l3.eosTokenId(), "first of a list of EOS ids");
        assertEquals(4, l3.groupSize());
        DecoderConfig mistral = read("{\"model_type\":\"mistral\",\"hidden_size\":4096,\"intermediate_size\":14336,"
                + "\"num_hidden_layers\":32,\"num_attention_heads\":32,\"num_key_value_heads\":8,\"vocab_size\":32000,"
                + "\"sliding_window\":4096,\"max_position_embeddings\":32768}");
        assertEquals(7_241_732_096L, mistral.parameterCount(), "Mistral-7B-v0.1");
        assertEquals(4096, mistral.slidingWindow());
    }

    @Test
    void llama3RopeScalingMatchesHandComputedFrequencies() {
        DecoderConfig l3 = read("{\"model_type\":\"llama\",\"hidden_size\":4096,\"intermediate_size\":14336,"
                + "\"num_hidden_layers\":1,\"num_attention_heads\":32,\"num_key_value_heads\":8,\"vocab_size\":100,"
                + "\"rope_theta\":500000.0,\"rope_scaling\":{\"factor\":8.0,\"low_freq_factor\":1.0,"
                + "\"high_freq_factor\":4.0,\"original_max_position_embeddings\":8192,\"rope_type\":\"llama3\"}}");
        double[] f = l3.rope().inverseFrequencies(128);
        assertEquals(1.0, f[0], 1e-15);                              // short wavelength: unchanged
        assertEquals(5.248461609929547e-4, f[32], 1e-15);            // between the bands: interpolated
        assertEquals(3.068925988914511e-7, f[63], 1e-19);            // long wavelength: divided by 8
    }

    @Test
    void ropeTablesRotatePairsHalfADimensionApart() {
        float[][] t = read(LLAMA2_7B).rope().tables(3, 4);            // head dim 4: inv freq 1 and 1/100
        assertEquals(Math.cos(2.0), t[0][2 * 4], 1e-7);
        assertEquals(Math.cos(2.0), t[0][2 * 4 + 2], 1e-7);
        assertEquals(Math.sin(2.0 / 100), t[1][2 * 4 + 1], 1e-7);
        assertEquals(Math.sin(2.0 / 100), t[1][2 * 4 + 3], 1e-7);
    }

    @Test
    void unsupportedSettingsAreClearErrors() {
        assertTrue(assertThrows(ModelFormatException.class, () -> read(LLAMA2_7B.replace("\"llama\"", "\"gpt2\"")))
                .getMessage().contains("not a Llama-family decoder"));
        assertTrue(assertThrows(ModelFormatException.class, () -> read(LLAMA2_7B.replace("\"rope_scaling\":null",
                "\"attention_bias\":true"))).getMessage().contains("attention_bias"));
        assertTrue(assertThrows(ModelFormatException.class, () -> read(LLAMA2_7B.replace("\"rope_scaling\":null",
                "\"rope_scaling\":{\"type\":\"yarn\",\"factor\":4}"))).getMessage().contains("yarn"));
        assertTrue(assertThrows(ModelFormatException.class, () -> read(LLAMA2_7B.replace("\"num_key_value_heads\":32",
                "\"num_key_value_heads\":5"))).getMessage().contains("multiple of num_key_value_heads"));
    }

    /** Llama-3.1's generation_config.json: BOS 128000 and a list of EOS ids, of which the first is used. */
    @Test
    void generationConfigSetsTheSpecialTokens(@TempDir Path dir)
            throws IOException {
        Files.writeString(dir.resolve("config.json"), "{\"model_type\":\"llama\",\"hidden_size\":64,"
                + "\"intermediate_size\":128,\"num_hidden_layers\":2,\"num_attention_heads\":4,\"vocab_size\":130000,"
                + "\"bos_token_id\":1,\"eos_token_id\":2,\"torch_dtype\":\"bfloat16\"}");
        assertEquals(2, LlamaHfConfig.readDirectory(dir).eosTokenId(), "config.json alone");
        Files.writeString(dir.resolve("generation_config.json"), "{\"bos_token_id\":128000,"
                + "\"eos_token_id\":[128001,128008,128009],\"do_sample\":true,\"temperature\":0.6}");
        DecoderConfig c = LlamaHfConfig.readDirectory(dir);
        assertEquals(128000, c.bosTokenId());
        assertEquals(128001, c.eosTokenId());
        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\":200000}");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> LlamaHfConfig.readDirectory(dir));
        assertTrue(e.getMessage().contains("generation_config.json"), e.getMessage());
    }
}
