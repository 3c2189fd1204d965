package painters.model.llama;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import painters.model.ModelFormatException;
import painters.model.decoder.*;
import painters.model.decoder.HfDecoderLoader;
import painters.model.tokenizer.SentencePieceBpe;
import painters.model.tokenizer.TextTokenizer;
import painters.model.weights.Checksums;

/**
 * Loads Llama-family checkpoints: a HF directory ({@code config.json} with model_type llama or
 * mistral, {@code model.safetensors} or shards, {@code tokenizer.json} or a sentencepiece
 * {@code tokenizer.model}), or a llama2.c {@code .bin} file with its tokenizer beside it
 * ({@code tokenizer.bin}, the only {@code tok*.bin}, or a sentencepiece {@code .model}).
 */
public final class LlamaLoader {

    private static final Logger log = LoggerFactory.getLogger(LlamaLoader.class);

    private LlamaLoader() {}

    /** Loads a HF directory or a llama2.c file. */
    public static DecoderModel load(String model) {
        Path p = Path.of(model);
        if (Files.isDirectory(p)) {
            return fromHfDirectory(p);
        }
        if (Files.isRegularFile(p) && p.toString().endsWith(".bin")) {
            return fromLlama2c(p, llama2cTokenizerBeside(p));
        }
        throw new ModelFormatException(model + ": not a HF Llama directory or a llama2.c .bin file");
    }

    /** A HF directory: config.json, safetensors, tokenizer.json (or tokenizer.model). */
    public static DecoderModel fromHfDirectory(Path dir) {
        return HfDecoderLoader.load(dir, LlamaHfConfig.readDirectory(dir), "llama");
    }

    /** A llama2.c checkpoint and its tokenizer ({@code .bin} in llama2.c's format, or a sentencepiece .model). */
    public static DecoderModel fromLlama2c(Path bin, Path tokenizer) {
        long t0 = System.nanoTime();
        Llama2cCheckpoint.Contents c = Llama2cCheckpoint.read(bin);
        DecoderWeights weights = DecoderWeights.from(c.config(), c.tensors());
        TextTokenizer tok = tokenizer.toString().endsWith(".model") ? SentencePieceBpe.fromModelFile(tokenizer)
                : SentencePieceBpe.fromLlama2c(tokenizer, c.config().vocabSize());
        if (tok.vocabSize() != c.config().vocabSize()) {
            throw new ModelFormatException(tokenizer + ": " + tok.vocabSize() + " pieces but " + bin + " has vocab "
                    + c.config().vocabSize());
        }
        return HfDecoderLoader.finish(bin.toString(), "llama", weights, tok, Checksums.sha256Of(bin), t0);
    }

    static Path llama2cTokenizerBeside(Path bin) {
        Path dir = bin.toAbsolutePath().getParent();
        if (Files.isRegularFile(dir.resolve("tokenizer.bin"))) {
            return dir.resolve("tokenizer.bin");
        }
        for (String ext : new String[] {".bin", ".model"}) {
            try (Stream<Path> files = Files.list(dir)) {
                List<Path> toks = files.filter(f -> f.getFileName().toString().startsWith("tok")
                        && f.getFileName().toString().endsWith(ext)).sorted().toList();
                if (toks.size() == 1) {
                    return toks.get(0);
                }
                if (toks.size() > 1) {
                    throw new ModelFormatException(dir + ": several tokenizers " + toks + " beside " + bin.getFileName()
                            + "; name the one to use tokenizer.bin");
                }
            } catch (IOException e) {
                throw new ModelFormatException(dir + ": " + e.getMessage(), e);
            }
        }
        throw new ModelFormatException(bin + ": no tokenizer beside it (tokenizer.bin, tok*.bin or tok*.model)");
    }
}
