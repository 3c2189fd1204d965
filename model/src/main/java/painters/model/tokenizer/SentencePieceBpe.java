package painters.model.tokenizer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.nd4j.shade.protobuf.CodedInputStream;
import org.nd4j.shade.protobuf.WireFormat;
import painters.model.ModelFormatException;
import painters.model.UserInputException;

/**
 * A sentencepiece BPE tokenizer (Llama 1/2, llama2.c models), read from a sentencepiece
 * {@code tokenizer.model} (protobuf) or from llama2.c's {@code tok*.bin}; both give the same pieces,
 * scores and ids.
 *
 * <p>Encoding as sentencepiece does for Llama: spaces become {@code ▁}, a {@code ▁} is prefixed
 * (add_dummy_prefix), the text is split into characters (a character not in the vocabulary becomes
 * its UTF-8 bytes, {@code <0xNN>}: byte fallback), then the adjacent pair whose merge is the
 * highest-scoring piece is merged, leftmost first, until no merge exists. A heap keeps that
 * O(n log n), so whole documents can be encoded.
 */
public final class SentencePieceBpe implements TextTokenizer {

    /** sentencepiece piece types (sentencepiece_model.proto). */
    static final int NORMAL = 1;
    static final int UNKNOWN = 2;
    static final int CONTROL = 3;
    static final int USER_DEFINED = 4;
    static final int UNUSED = 5;
    static final int BYTE = 6;

    private static final char SPACE = '\u2581';

    private final String source;
    private final String[] pieces;
    private final float[] scores;
    private final int[] types;
    private final Map<String, Integer> mergeable = new HashMap<>();
    private final int[] byteIds = new int[256];
    private final boolean addDummyPrefix;
    private final int unk;
    private final int bos;
    private final int eos;

    SentencePieceBpe(String source, String[] pieces, float[] scores, int[] types, boolean addDummyPrefix) {
        this.source = source;
        this.pieces = pieces;
        this.scores = scores;
        this.types = types;
        this.addDummyPrefix = addDummyPrefix;
        Arrays.fill(byteIds, -1);
        int u = -1;
        int b = -1;
        int e = -1;
        for (int i = 0; i < pieces.length; i++) {
            switch (types[i]) {
                case NORMAL, USER_DEFINED -> mergeable.putIfAbsent(pieces[i], i);
                case BYTE -> {
                    int v = byteValue(pieces[i]);
                    if (v < 0) {
                        throw new ModelFormatException(source + ": byte piece " + i + " is \"" + pieces[i]
                                + "\", expected <0xNN>");
                    }
                    byteIds[v] = i;
                }
                case UNKNOWN -> u = u < 0 ? i : u;
                case CONTROL -> {
                    if (pieces[i].equals("<s>")) {
                        b = i;
                    } else if (pieces[i].equals("</s>")) {
                        e = i;
                    }
                }
                default -> { }
            }
        }
        this.unk = u;
        this.bos = b;
        this.eos = e;
    }

    /** Reads a sentencepiece {@code .model} file (ModelProto); only BPE models are accepted. */
    public static SentencePieceBpe fromModelFile(Path file) {
        byte[] bytes = readAll(file);
        List<String> pieces = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        int modelType = 1;
        boolean dummyPrefix = true;
        String normalizer = "nmt_nfkc";
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            int tag;
            while ((tag = in.readTag()) != 0) {
                int field = WireFormat.getTagFieldNumber(tag);
                if (field == 1) {                     // repeated SentencePiece pieces
                    CodedInputStream p = CodedInputStream.newInstance(in.readByteArray());
                    String piece = null;
                    float score = 0;
                    int type = NORMAL;
                    int t;
                    while ((t = p.readTag()) != 0) {
                        switch (WireFormat.getTagFieldNumber(t)) {
                            case 1 -> piece = p.readString();
                            case 2 -> score = p.readFloat();
                            case 3 -> type = p.readEnum();
                            default -> p.skipField(t);
                        }
                    }
                    if (piece == null) {
                        throw new ModelFormatException(file + ": piece " + pieces.size() + " has no text");
                    }
                    pieces.add(piece);
                    scores.add(score);
                    types.add(type);
                } else if (field == 2) {              // TrainerSpec
                    CodedInputStream p = CodedInputStream.newInstance(in.readByteArray());
                    int t;
                    while ((t = p.readTag()) != 0) {
                        if (WireFormat.getTagFieldNumber(t) == 3) {
                            modelType = p.readEnum();
                        } else {
                            p.skipField(t);
                        }
                    }
                } else if (field == 3) {              // NormalizerSpec
                    CodedInputStream p = CodedInputStream.newInstance(in.readByteArray());
                    int t;
                    while ((t = p.readTag()) != 0) {
                        switch (WireFormat.getTagFieldNumber(t)) {
                            case 1 -> normalizer = p.readString();
                            case 3 -> dummyPrefix = p.readBool();
                            default -> p.skipField(t);
                        }
                    }
                } else {
                    in.skipField(tag);
                }
            }
        } catch (IOException e) {
            throw new ModelFormatException(file + ": not a sentencepiece model (protobuf): " + e.getMessage(), e);
        }
        if (pieces.isEmpty()) {
            throw new ModelFormatException(file + ": no pieces; not a sentencepiece model");
        }
        if (modelType != 2) {
            throw new ModelFormatException(file + ": sentencepiece model_type " + modelType
                    + " (1 unigram, 2 BPE, 3 word, 4 char); only BPE is supported here: use the model's tokenizer.json");
        }
        if (!normalizer.equals("identity")) {
            throw new ModelFormatException(file + ": normalizer \"" + normalizer
                    + "\" is not supported (Llama tokenizers use \"identity\"): use the model's tokenizer.json");
        }
        float[] s = new float[scores.size()];
        int[] ty = new int[types.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = scores.get(i);
            ty[i] = types.get(i);
        }
        return new SentencePieceBpe(file.toString(), pieces.toArray(new String[0]), s, ty, dummyPrefix);
    }

    /**
     * Reads llama2.c's tokenizer file: int32 max_token_length, then per id: float32 score, int32
     * length, the piece's UTF-8 bytes (spaces instead of {@code ▁}; ids 1 and 2 stored as
     * {@code "\n<s>\n"}, {@code "\n</s>\n"}). Ids 0..2 are unk/BOS/EOS and {@code <0xNN>} pieces
     * are byte fallbacks, as in the sentencepiece model it was exported from.
     */
    public static SentencePieceBpe fromLlama2c(Path file, int vocabSize) {
        ByteBuffer b = ByteBuffer.wrap(readAll(file)).order(ByteOrder.LITTLE_ENDIAN);
        String[] pieces = new String[vocabSize];
        float[] scores = new float[vocabSize];
        int[] types = new int[vocabSize];
        try {
            int maxLen = b.getInt();
            for (int i = 0; i < vocabSize; i++) {
                scores[i] = b.getFloat();
                int len = b.getInt();
                if (len < 0 || len > maxLen || len > b.remaining()) {
                    throw new ModelFormatException(file + ": token " + i + " has length " + len
                            + " (max_token_length " + maxLen + ", " + b.remaining() + " bytes left)");
                }
                byte[] s = new byte[len];
                b.get(s);
                String text = new String(s, StandardCharsets.UTF_8);
                if (i == 0) {
                    pieces[i] = "<unk>";
                    types[i] = UNKNOWN;
                } else if (i == 1 || i == 2) {
                    pieces[i] = i == 1 ? "<s>" : "</s>";
                    types[i] = CONTROL;
                } else if (byteValue(text) >= 0) {
                    pieces[i] = text;
                    types[i] = BYTE;
                } else {
                    pieces[i] = text.replace(' ', SPACE);
                    types[i] = NORMAL;
                }
            }
        } catch (BufferUnderflowException e) {
            throw new ModelFormatException(file + ": ends before " + vocabSize + " tokens (vocab_size of the model)", e);
        }
        if (b.hasRemaining()) {
            throw new ModelFormatException(file + ": " + b.remaining() + " bytes after " + vocabSize
                    + " tokens; is vocab_size right for this tokenizer?");
        }
        return new SentencePieceBpe(file.toString(), pieces, scores, types, true);
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ModelFormatException("cannot read tokenizer " + file + ": " + e.getMessage(), e);
        }
    }

    /** 0..255 for a piece {@code <0xNN>}, else -1. */
    static int byteValue(String piece) {
        if (piece.length() == 6 && piece.startsWith("<0x") && piece.endsWith(">")) {
            try {
                return Integer.parseInt(piece.substring(3, 5), 16);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }

    @Override
    public int[] encode(String text) {
        if (text.isEmpty()) {
            return new int[0];
        }
        String norm = (addDummyPrefix ? " " + text : text).replace(' ', SPACE);
        // initial symbols: one per code point, or its UTF-8 bytes when the code point is not a piece
        List<Integer> init = new ArrayList<>();
        for (int i = 0; i < norm.length(); ) {
            int cp = norm.codePointAt(i);
            String ch = new String(Character.toChars(cp));
            i += Character.charCount(cp);
            Integer id = mergeable.get(ch);
            if (id != null) {
                init.add(id);
            } else {
                for (byte x : ch.getBytes(StandardCharsets.UTF_8)) {
                    int bid = byteIds[x & 0xff];
                    if (bid < 0) {
                        if (unk < 0) {
                            throw new UserInputException(source + ": cannot encode \"" + ch
                                    + "\": no byte fallback and no <unk> piece");
                        }
                        init.add(unk);
                        break;
                    }
                    init.add(bid);
                }
            }
        }
        int n = init.size();
        int[] id = new int[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0; i < n; i++) {
            id[i] = init.get(i);
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        // candidate merges: (score desc, left position asc); stale entries are skipped when popped
        PriorityQueue<long[]> heap = new PriorityQueue<>((a, c) -> {
            int s = Float.compare(Float.intBitsToFloat((int) c[0]), Float.intBitsToFloat((int) a[0]));
            return s != 0 ? s : Long.compare(a[1], c[1]);
        });
        for (int i = 0; i + 1 < n; i++) {
            push(heap, id, i, i + 1);
        }
        while (!heap.isEmpty()) {
            long[] top = heap.poll();
            int left = (int) top[1];
            int right = (int) top[2];
            int merged = (int) top[3];
            if (id[left] < 0 || id[right] < 0 || next[left] != right || (int) top[4] != id[left]
                    || (int) top[5] != id[right]) {
                continue;                                  // stale: a neighbour changed since it was pushed
            }
            id[left] = merged;
            id[right] = -1;
            next[left] = next[right];
            if (next[right] >= 0) {
                prev[next[right]] = left;
            }
            if (prev[left] >= 0) {
                push(heap, id, prev[left], left);
            }
            if (next[left] >= 0) {
                push(heap, id, left, next[left]);
            }
        }
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i >= 0 && i < n; i = next[i]) {
            out[k++] = id[i];
        }
        return Arrays.copyOf(out, k);
    }

    private void push(PriorityQueue<long[]> heap, int[] id, int left, int right) {
        Integer m = mergeable.get(pieces[id[left]] + pieces[id[right]]);
        if (m != null) {
            heap.add(new long[] {Float.floatToIntBits(scores[m]), left, right, m, id[left], id[right]});
        }
    }

    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean first = true;
        for (int i : ids) {
            if (i < 0 || i >= pieces.length) {
                throw new UserInputException(source + ": token id " + i + " outside [0, " + pieces.length + ")");
            }
            switch (types[i]) {
                case CONTROL, UNUSED -> { }
                case BYTE -> {
                    out.write(byteValue(pieces[i]));
                    first = false;
                }
                default -> {
                    String p = types[i] == UNKNOWN ? " \u2047 " : pieces[i].replace(SPACE, ' ');
                    if (first && addDummyPrefix && p.startsWith(" ")) {
                        p = p.substring(1);
                    }
                    out.writeBytes(p.getBytes(StandardCharsets.UTF_8));
                    first = false;
                }
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public String piece(int id) {
        return pieces[id];
    }

    /** The score of a piece (its merge priority). */
    public float score(int id) {
        return scores[id];
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
        return pieces.length;
    }

    @Override
    public String source() {
        return source;
    }
}
