package painters.model.bert;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.Reader;
import java.nio.file.Path;
import painters.model.hf.HfJson;

/**
 * The one place that maps a Hugging Face BERT-family {@code config.json} (model_type bert, or an
 * encoder using its keys) onto {@link BertConfig}; the record validates the values.
 */
public final class BertHfConfig {

    private BertHfConfig() {}

    public static BertConfig read(Path configJson) {
        return of(HfJson.read(configJson));
    }

    /** Parses a config from a reader; {@code source} names it in error messages. */
    public static BertConfig read(Reader reader, String source) {
        return of(HfJson.read(reader, source));
    }

    static BertConfig of(HfJson c) {
        String modelType = c.str("model_type", "bert");
        try {
            return new BertConfig(
                    modelType,
                    c.integer("vocab_size", null),
                    c.integer("hidden_size", null),
                    c.integer("num_hidden_layers", null),
                    c.integer("num_attention_heads", null),
                    c.integer("intermediate_size", null),
                    c.integer("max_position_embeddings", 512),
                    c.integer("type_vocab_size", 2),
                    c.number("layer_norm_eps", 1e-12),
                    c.str("hidden_act", "gelu"),
                    c.str("position_embedding_type", "absolute"),
                    c.integer("pad_token_id", 0));
        } catch (IllegalArgumentException e) {
            throw c.error(e.getMessage(), e);
        }
    }

    /** The HF {@code config.json} text of a config (inverse of {@link #read}). */
    public static String toJson(BertConfig c) {
        JsonObject o = new JsonObject();
        JsonArray arch = new JsonArray();
        arch.add("BertModel");
        o.add("architectures", arch);
        o.addProperty("model_type", c.modelType());
        o.addProperty("vocab_size", c.vocabSize());
        o.addProperty("hidden_size", c.hiddenSize());
        o.addProperty("num_hidden_layers", c.numLayers());
        o.addProperty("num_attention_heads", c.numHeads());
        o.addProperty("intermediate_size", c.intermediateSize());
        o.addProperty("max_position_embeddings", c.maxPositions());
        o.addProperty("type_vocab_size", c.typeVocabSize());
        o.addProperty("layer_norm_eps", c.layerNormEps());
        o.addProperty("hidden_act", c.hiddenAct());
        o.addProperty("position_embedding_type", c.positionEmbeddingType());
        o.addProperty("pad_token_id", c.padTokenId());
        o.addProperty("torch_dtype", "float32");
        return new GsonBuilder().setPrettyPrinting().create().toJson(o) + "\n";
    }
}
