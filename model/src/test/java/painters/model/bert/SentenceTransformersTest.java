package painters.model.bert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import painters.model.ModelFormatException;
import painters.model.family.Pooling;
import painters.model.tokenizer.HfTokenizer;
import painters.model.tokenizer.TokenBatch;

/**
 * sentence-transformers folders as their model cards ship them: e5-base-v2's modules (Transformer, mean
 * Pooling, Normalize) and prompts ("query: ", "passage: "), a model without Normalize, and unsupported
 * modules named in one line.
 */
class SentenceTransformersTest {

    static final String MODULES = "[{\"idx\":0,\"name\":\"0\",\"path\":\"\",\"type\":\"sentence_transformers.models.Transformer\"},"
            + "{\"idx\":1,\"name\":\"1\",\"path\":\"1_Pooling\",\"type\":\"sentence_transformers.models.Pooling\"}%s]";
    static final String NORMALIZE = ",{\"idx\":2,\"name\":\"2\",\"path\":\"2_Normalize\","
            + "\"type\":\"sentence_transformers.models.Normalize\"}";
    static final String MEAN = "{\"word_embedding_dimension\":768,\"pooling_mode_cls_token\":false,"
            + "\"pooling_mode_mean_tokens\":true,\"pooling_mode_max_tokens\":false}";

    @TempDir
    Path dir;

    void write(String modules, String pooling, String stConfig) throws IOException {
        if (modules != null) {
            Files.writeString(dir.resolve("modules.json"), modules);
        }
        Files.createDirectories(dir.resolve("1_Pooling"));
        Files.writeString(dir.resolve("1_Pooling/config.json"), pooling);
        if (stConfig != null) {
            Files.writeString(dir.resolve("config_sentence_transformers.json"), stConfig);
        }
    }

    @Test
    void e5sModulesAndPromptsAreRead() throws IOException {
        write(String.format(MODULES, NORMALIZE), MEAN, "{\"__version__\":{\"sentence_transformers\":\"3.0.1\"},"
                + "\"prompts\":{\"query\":\"query: \",\"passage\":\"passage: \"},\"default_prompt_name\":null}");
        SentenceTransformers st = SentenceTransformers.read(dir);
        assertEquals(Pooling.MEAN, st.pooling());
        assertTrue(st.normalize());
        assertTrue(st.biEncoder(), "a sentence-transformers checkpoint: pairs are encoded text by text by default");
        assertEquals("", st.defaultPrompt());
        assertEquals("query: ", st.resolvePrompt("query"));
        assertEquals("passage: ", st.resolvePrompt("passage"));
        assertEquals("", st.resolvePrompt("none"));
        assertEquals("Represent this sentence: ", st.resolvePrompt("Represent this sentence: "), "literal text");
    }

    @Test
    void withoutANormalizeModuleEmbeddingsAreNotNormalised() throws IOException {
        write(String.format(MODULES, ""), MEAN, null);
        assertFalse(SentenceTransformers.read(dir).normalize());
    }

    @Test
    void aDefaultPromptApplies() throws IOException {
        write(String.format(MODULES, NORMALIZE), "{\"pooling_mode_cls_token\":true}",
                "{\"prompts\":{\"query\":\"Represent this sentence for searching relevant passages: \"},"
                        + "\"default_prompt_name\":\"query\"}");
        SentenceTransformers st = SentenceTransformers.read(dir);
        assertEquals(Pooling.CLS, st.pooling());
        assertEquals("Represent this sentence for searching relevant passages: ", st.defaultPrompt());
    }

    @Test
    void unsupportedModulesAndModesAreNamed() throws IOException {
        write(String.format(MODULES, ",{\"idx\":2,\"name\":\"2\",\"path\":\"2_Dense\",\"type\":"
                + "\"sentence_transformers.models.Dense\"}"), MEAN, null);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SentenceTransformers.read(dir));
        assertTrue(e.getMessage().contains("modules.json") && e.getMessage().contains("Dense"), e.getMessage());
        write(String.format(MODULES, ""), "{\"pooling_mode_max_tokens\":true}", null);
        e = assertThrows(ModelFormatException.class, () -> SentenceTransformers.read(dir));
        assertTrue(e.getMessage().contains("pooling_mode_max_tokens"), e.getMessage());
        write(String.format(MODULES, ""), MEAN, "{\"prompts\":{},\"default_prompt_name\":\"query\"}");
        e = assertThrows(ModelFormatException.class, () -> SentenceTransformers.read(dir));
        assertTrue(e.getMessage().contains("default_prompt_name \"query\""), e.getMessage());
    }

    @Test
    void aFolderWithoutModulesKeepsTheDefaults() {
        SentenceTransformers st = SentenceTransformers.read(dir);
        assertEquals(Pooling.CLS, st.pooling());
        assertTrue(st.normalize());
        assertFalse(st.biEncoder(), "a plain BERT folder: pairs are encoded together by default");
    }

    /** The prompt is text before the input, tokenized with it: the same ids as typing it in front. */
    @Test
    void aPromptedTokenizerEncodesThePromptBeforeEveryText() throws IOException {
        try (InputStream in = BertLoader.class.getResourceAsStream(BertLoader.DEFAULT_TOKENIZER);
             HfTokenizer plain = HfTokenizer.fromStream(in, "default", 128);
             HfTokenizer prompted = plain.withPrompt("query: ")) {
            assertArrayEquals(plain.ids("query: how tall is a giraffe"), prompted.ids("how tall is a giraffe"));
            TokenBatch b = prompted.encode(List.of("a", "b c"));
            TokenBatch ref = plain.encode(List.of("query: a", "query: b c"));
            assertArrayEquals(ref.ids()[1], b.ids()[1]);
            assertEquals("query: ", prompted.withMaxLength(16).prompt(), "kept when truncating differently");
        }
    }
}
