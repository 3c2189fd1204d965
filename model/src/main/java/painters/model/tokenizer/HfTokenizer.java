package painters.model.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import painters.model.ModelFormatException;
import painters.model.UserInputException;

/**
 * A tokenizer read from a HF {@code tokenizer.json}. Encodes single texts or pairs, truncates to
 * {@code maxLength} (longest-first for pairs, special tokens included) and pads on the right to the
 * longest row of the batch.
 *
 * <p>DJL is configured before first use: tracking opted out, offline mode on (it never downloads),
 * and its native-library cache under {@code ~/.painters/djl} unless {@code ENGINE_CACHE_DIR} is set.
 */
public final class HfTokenizer implements AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;
    private final byte[] json;
    private final String source;
    private final int maxLength;
    private final long padId;
    private final String prompt;

    private HfTokenizer(HuggingFaceTokenizer tokenizer, byte[] json, String source, int maxLength, long padId,
                        String prompt) {
        this.tokenizer = tokenizer;
        this.json = json;
        this.source = source;
        this.maxLength = maxLength;
        this.padId = padId;
        this.prompt = prompt;
    }

    /** Sets DJL's offline / no-telemetry properties and cache directory, unless the user already did. */
    public static synchronized void configureDjl() {
        setIfAbsent("OPT_OUT_TRACKING", "true");
        setIfAbsent("offline", "true");
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("ENGINE_CACHE_DIR",
                Paths.get(System.getProperty("user.home"), ".painters", "djl").toString());
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getenv(key) == null && System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** Loads {@code tokenizer.json} from a file. */
    public static HfTokenizer fromFile(Path tokenizerJson, int maxLength) {
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new ModelFormatException(tokenizerJson + ": tokenizer file not found");
        }
        try (InputStream in = Files.newInputStream(tokenizerJson)) {
            return fromStream(in, tokenizerJson.toString(), maxLength);
        } catch (IOException e) {
            throw new ModelFormatException(tokenizerJson + ": cannot read tokenizer: " + e.getMessage(), e);
        }
    }

    /** Loads {@code tokenizer.json} content from a stream; {@code source} names it in errors. */
    public static HfTokenizer fromStream(InputStream in, String source, int maxLength) {
        if (maxLength < 2) {
            throw new UserInputException("maxLength must be at least 2, got " + maxLength);
        }
        configureDjl();
        byte[] json;
        try {
            json = in.readAllBytes();
        } catch (IOException e) {
            throw new ModelFormatException(source + ": cannot read tokenizer: " + e.getMessage(), e);
        }
        HuggingFaceTokenizer t;
        try {
            t = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), Map.of(
                    "padding", "false",
                    "truncation", "true",
                    "maxLength", Integer.toString(maxLength),
                    "addSpecialTokens", "true"));
        } catch (IOException | RuntimeException e) {
            throw new ModelFormatException(source + ": not a usable tokenizer.json: " + e.getMessage(), e);
        }
        long pad = padIdOf(t);
        return new HfTokenizer(t, json, source, maxLength, pad, "");
    }

    /** The same tokenizer truncating to another length (e.g. 128, as GLUE fine-tuning does). */
    public HfTokenizer withMaxLength(int newMaxLength) {
        return fromStream(new ByteArrayInputStream(json), source, newMaxLength).withPrompt(prompt);
    }

    /**
     * The same tokenizer putting {@code prompt} before every text (the first of a pair), as
     * sentence-transformers does with a model's prompts (e5's "query: ", BGE's query instruction); "" for none.
     */
    public HfTokenizer withPrompt(String newPrompt) {
        HfTokenizer fresh = fromStream(new ByteArrayInputStream(json), source, maxLength);
        return new HfTokenizer(fresh.tokenizer, json, source, maxLength, padId, newPrompt == null ? "" : newPrompt);
    }

    /** The text put before every input ("" for none). */
    public String prompt() {
        return prompt;
    }

    private static long padIdOf(HuggingFaceTokenizer t) {
        for (String candidate : new String[] {"[PAD]", "<pad>"}) {
            Encoding e = t.encode(List.of(candidate).toArray(new String[0]), false, false);
            long[] ids = e.getIds();
            if (ids.length == 1 && !"[UNK]".equals(e.getTokens()[0]) && !"<unk>".equals(e.getTokens()[0])) {
                return ids[0];
            }
        }
        return 0;
    }

    public String source() {
        return source;
    }

    public int maxLength() {
        return maxLength;
    }

    public long padId() {
        return padId;
    }

    /** Token strings of one text, special tokens included (for inspection and tests). */
    public List<String> tokens(String text) {
        return List.of(tokenizer.encode(prompt + text).getTokens());
    }

    /** Ids of one text, special tokens included, truncated to maxLength. */
    public long[] ids(String text) {
        return tokenizer.encode(prompt + text).getIds();
    }

    /** Encodes single texts into a right-padded batch. */
    public TokenBatch encode(List<String> texts) {
        Encoding[] enc = new Encoding[texts.size()];
        for (int i = 0; i < enc.length; i++) {
            enc[i] = tokenizer.encode(prompt + texts.get(i));
        }
        return pad(enc);
    }

    /** Encodes texts in consecutive batches of at most {@code batchSize}, each padded to its own longest row. */
    public List<TokenBatch> encodeInBatches(List<String> texts, int batchSize) {
        if (batchSize < 1) {
            throw new UserInputException("batchSize must be >= 1, got " + batchSize);
        }
        List<TokenBatch> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i += batchSize) {
            out.add(encode(texts.subList(i, Math.min(texts.size(), i + batchSize))));
        }
        return out;
    }

    /** Encodes text pairs ([CLS] a [SEP] b [SEP], type ids 0 then 1) into a right-padded batch. */
    public TokenBatch encodePairs(List<String> first, List<String> second) {
        if (first.size() != second.size()) {
            throw new UserInputException("pair lists differ in size: " + first.size() + " vs " + second.size());
        }
        Encoding[] enc = new Encoding[first.size()];
        for (int i = 0; i < enc.length; i++) {
            enc[i] = tokenizer.encode(prompt + first.get(i), second.get(i));
        }
        return pad(enc);
    }

    private TokenBatch pad(Encoding[] enc) {
        if (enc.length == 0) {
            throw new UserInputException("nothing to encode");
        }
        int s = 1;
        for (Encoding e : enc) {
            s = Math.max(s, e.getIds().length);
        }
        long[][] ids = new long[enc.length][s];
        long[][] types = new long[enc.length][s];
        long[][] mask = new long[enc.length][s];
        for (int b = 0; b < enc.length; b++) {
            long[] id = enc[b].getIds();
            long[] ty = enc[b].getTypeIds();
            Arrays.fill(ids[b], padId);
            System.arraycopy(id, 0, ids[b], 0, id.length);
            System.arraycopy(ty, 0, types[b], 0, ty.length);
            Arrays.fill(mask[b], 0, id.length, 1L);
        }
        return new TokenBatch(ids, types, mask);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
