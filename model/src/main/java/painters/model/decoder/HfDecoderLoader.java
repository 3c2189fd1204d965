package painters.model.decoder;

import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import painters.model.ModelFormatException;
import painters.model.tokenizer.HfTextTokenizer;
import painters.model.tokenizer.SentencePieceBpe;
import painters.model.tokenizer.TextTokenizer;
import painters.model.weights.Checksums;
import painters.model.weights.Safetensors;
import painters.model.weights.TensorMap;

/**
 * Loads a decoder from a HF directory whose config its family has read: {@code model.safetensors} or shards,
 * {@code tokenizer.json} (or a sentencepiece {@code tokenizer.model}).
 */
public final class HfDecoderLoader {

    private static final Logger log = LoggerFactory.getLogger(HfDecoderLoader.class);

    private HfDecoderLoader() {}

    /** Loads the weights and tokenizer of {@code dir} under {@code config}. */
    public static DecoderModel load(Path dir, DecoderConfig config, String family) {
        long t0 = System.nanoTime();
        if (!Safetensors.isCheckpointDir(dir)) {
            throw new ModelFormatException(dir + ": no model.safetensors or model.safetensors.index.json "
                    + "(PyTorch .bin checkpoints are not read; convert them to safetensors)");
        }
        TensorMap tensors = Safetensors.read(dir);
        DecoderWeights weights = DecoderWeights.from(config, tensors);
        TextTokenizer tok;
        if (Files.isRegularFile(dir.resolve("tokenizer.json"))) {
            tok = HfTextTokenizer.fromFile(dir.resolve("tokenizer.json"), config.bosTokenId(), config.eosTokenId(),
                    config.vocabSize());
        } else if (Files.isRegularFile(dir.resolve("tokenizer.model"))) {
            tok = SentencePieceBpe.fromModelFile(dir.resolve("tokenizer.model"));
        } else {
            throw new ModelFormatException(dir + ": no tokenizer.json or tokenizer.model");
        }
        return finish(dir.toString(), family, weights, tok, Checksums.ofSafetensors(dir), t0);
    }

    /** The loaded model, with a log line; a tokenizer whose BOS differs from the config's is warned about. */
    public static DecoderModel finish(String id, String family, DecoderWeights w, TextTokenizer tok, String sha,
                                      long t0) {
        if (tok.bos() != w.config().bosTokenId() && w.config().bosTokenId() >= 0 && tok.bos() >= 0) {
            log.warn("{}: tokenizer BOS {} differs from config bos_token_id {}; using the tokenizer's", id, tok.bos(),
                    w.config().bosTokenId());
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        log.info("loaded {} ({}): {} layers, hidden {}, {} heads ({} kv), {} parameters in {} s", id, family,
                w.config().numLayers(), w.config().hiddenSize(), w.config().numHeads(), w.config().numKvHeads(),
                w.parameterCount(), String.format("%.2f", secs));
        return new DecoderModel(id, family, w, tok, sha, secs);
    }
}
