package painters.model.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import painters.model.ModelFormatException;

/**
 * A decoder tokenizer read from a HF {@code tokenizer.json} (HF's own Rust tokenizers through DJL,
 * offline): no truncation, no padding, no special tokens added; BOS/EOS ids come from the model config.
 */
public final class HfTextTokenizer implements TextTokenizer {

    private final HuggingFaceTokenizer tokenizer;
    private final String source;
    private final int bos;
    private final int eos;
    private final int vocabSize;

    private HfTextTokenizer(HuggingFaceTokenizer tokenizer, String source, int bos, int eos, int vocabSize) {
        this.tokenizer = tokenizer;
        this.source = source;
        this.bos = bos;
        this.eos = eos;
        this.vocabSize = vocabSize;
    }

    public static HfTextTokenizer fromFile(Path tokenizerJson, int bos, int eos, int vocabSize) {
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new ModelFormatException(tokenizerJson + ": tokenizer file not found");
        }
        HfTokenizer.configureDjl();
        try {
            HuggingFaceTokenizer t = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of(
                    "padding", "false", "truncation", "false", "addSpecialTokens", "false"));
            return new HfTextTokenizer(t, tokenizerJson.toString(), bos, eos, vocabSize);
        } catch (IOException | RuntimeException e) {
            throw new ModelFormatException(tokenizerJson + ": not a usable tokenizer.json: " + e.getMessage(), e);
        }
    }

    @Override
    public int[] encode(String text) {
        if (text.isEmpty()) {
            return new int[0];
        }
        Encoding e = tokenizer.encode(text, false, false);
        long[] ids = e.getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    @Override
    public String decode(int[] ids) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return tokenizer.decode(l, true);
    }

    @Override
    public String piece(int id) {
        return tokenizer.decode(new long[] {id}, false);
    }

    @Override
    public int bos() {
        return bos;
    }

    @Override
    public int eos() {
        return eos;
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
