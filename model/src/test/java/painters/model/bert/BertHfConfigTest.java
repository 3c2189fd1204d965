package painters.model.bert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import painters.model.ModelFormatException;

class BertHfConfigTest {

    static final String BGE = "{\"hidden_size\":384,\"num_hidden_layers\":12,\"num_attention_heads\":12,"
            + "\"intermediate_size\":1536,\"vocab_size\":30522,\"max_position_embeddings\":512,"
            + "\"type_vocab_size\":2,\"layer_norm_eps\":1e-12,\"hidden_act\":\"gelu\",\"model_type\":\"bert\"}";

    @Test
    void readsABertConfig() {
        BertConfig c = BertHfConfig.read(new StringReader(BGE), "config.json");
        assertEquals(384, c.hiddenSize());
        assertEquals(12, c.numLayers());
        assertEquals(32, c.headSize());
        assertEquals(1e-12, c.layerNormEps());
        // bge-small-en-v1.5 is quoted as 33.36M parameters with its pooler (384*384 + 384 = 147,840)
        assertEquals(33_360_000L - 147_840L, c.parameterCount(), "parameter count from the config");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"hidden_size\":384|\"hidden_size\":0|hidden_size must be positive",
        "\"num_attention_heads\":12|\"num_attention_heads\":7|not divisible",
        "\"layer_norm_eps\":1e-12|\"layer_norm_eps\":-1|layer_norm_eps",
        "\"hidden_act\":\"gelu\"|\"hidden_act\":\"swish\"|hidden_act",
        "\"num_hidden_layers\":12|\"num_hidden_layers\":2.5|must be an integer",
        "\"vocab_size\":30522|\"vocab_size\":\"many\"|vocab_size",
        "\"vocab_size\":30522,|''| missing required key \"vocab_size\""})
    void rejectsImpossibleValuesNamingTheFileAndKey(String from, String to, String expected) {
        String json = BGE.replace(from, to);
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> BertHfConfig.read(new StringReader(json), "some/config.json"));
        assertTrue(e.getMessage().contains("some/config.json"), e.getMessage());
        assertTrue(e.getMessage().contains(expected.strip()), e.getMessage() + " should contain " + expected);
    }

    @Test
    void mapsCheckpointNameVariants() {
        Map<String, String> cases = Map.of(
                "bert.embeddings.LayerNorm.gamma", "embeddings.LayerNorm.weight",
                "bert.encoder.layer.3.output.LayerNorm.beta", "encoder.layer.3.output.LayerNorm.bias",
                "encoder.layer.0.attention.self.query.weight", "encoder.layer.0.attention.self.query.weight");
        cases.forEach((in, out) -> assertEquals(out, BertTensors.canonical(in).orElseThrow(), in));
        assertTrue(BertTensors.isIgnored("bert.embeddings.position_ids"));
        assertTrue(BertTensors.isIgnored("bert.pooler.dense.weight"));
        assertTrue(BertTensors.isIgnored("cls.predictions.bias"));
    }
}
