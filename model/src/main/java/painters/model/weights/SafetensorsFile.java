package painters.model.weights;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import painters.model.ModelFormatException;

/**
 * One {@code .safetensors} file: an unsigned little-endian u64 header length N, N bytes of JSON
 * ({@code name -> {dtype, shape, data_offsets: [begin, end]}}, offsets relative to the end of the
 * header), then the raw little-endian data. The header is validated completely when the file is
 * opened (size limits, offsets inside the file, sizes matching dtype x shape, no overlaps), so
 * {@link #read} never returns a silently wrong array.
 */
public final class SafetensorsFile {

    /** Largest header accepted; real checkpoints have headers of a few hundred KB. */
    public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    /** Where one tensor lives. */
    public record Entry(String name, DType dtype, long[] shape, long begin, long end) {
        public long elements() {
            long n = 1;
            for (long s : shape) {
                n *= s;
            }
            return n;
        }
    }

    private final Path path;
    private final long dataStart;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, long dataStart, Map<String, Entry> entries, Map<String, String> metadata) {
        this.path = path;
        this.dataStart = dataStart;
        this.entries = entries;
        this.metadata = metadata;
    }

    /** Opens and validates the header of {@code path}. */
    public static SafetensorsFile open(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new ModelFormatException(path + ": truncated safetensors file (" + size
                        + " bytes; the 8-byte header length is missing)");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0, path);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen < 0 || headerLen > MAX_HEADER_BYTES) {
                throw new ModelFormatException(path + ": header length " + Long.toUnsignedString(headerLen)
                        + " bytes is above the " + MAX_HEADER_BYTES + "-byte limit (corrupt or not safetensors)");
            }
            if (8 + headerLen > size) {
                throw new ModelFormatException(path + ": header length " + headerLen
                        + " runs beyond the end of the file (" + size + " bytes): truncated file?");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            readFully(ch, hb, 8, path);
            String json = new String(hb.array(), StandardCharsets.UTF_8);
            return parseHeader(path, json, 8 + headerLen, size - 8 - headerLen);
        } catch (IOException e) {
            throw new ModelFormatException(path + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static SafetensorsFile parseHeader(Path path, String json, long dataStart, long dataSize) {
        JsonObject root;
        try {
            JsonElement e = JsonParser.parseString(json);
            if (!e.isJsonObject()) {
                throw new ModelFormatException(path + ": safetensors header is not a JSON object");
            }
            root = e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new ModelFormatException(path + ": safetensors header is not valid JSON: " + e.getMessage(), e);
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> kv : root.entrySet()) {
            String name = kv.getKey();
            if (name.equals("__metadata__")) {
                if (kv.getValue().isJsonObject()) {
                    kv.getValue().getAsJsonObject().entrySet()
                            .forEach(m -> metadata.put(m.getKey(), m.getValue().getAsString()));
                }
                continue;
            }
            entries.put(name, parseEntry(path, name, kv.getValue(), dataSize));
        }
        List<Entry> byOffset = new ArrayList<>(entries.values());
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        Entry prev = null;
        for (Entry en : byOffset) {
            if (prev != null && en.begin() < prev.end() && en.end() > en.begin()) {
                throw new ModelFormatException(path + ": tensors \"" + prev.name() + "\" [" + prev.begin() + ", "
                        + prev.end() + ") and \"" + en.name() + "\" [" + en.begin() + ", " + en.end()
                        + ") overlap");
            }
            if (en.end() > en.begin()) {
                prev = en;
            }
        }
        return new SafetensorsFile(path, dataStart, Collections.unmodifiableMap(entries),
                Collections.unmodifiableMap(metadata));
    }

    private static Entry parseEntry(Path path, String name, JsonElement v, long dataSize) {
        String where = path + ": tensor \"" + name + "\"";
        if (!v.isJsonObject()) {
            throw new ModelFormatException(where + ": header entry is not an object");
        }
        JsonObject o = v.getAsJsonObject();
        JsonElement dt = o.get("dtype");
        JsonElement sh = o.get("shape");
        JsonElement off = o.get("data_offsets");
        if (dt == null || sh == null || off == null || !sh.isJsonArray() || !off.isJsonArray()) {
            throw new ModelFormatException(where + ": header entry needs dtype, shape[] and data_offsets[]");
        }
        DType dtype = DType.parse(dt.getAsString()).orElseThrow(() -> new ModelFormatException(
                where + ": unknown or unsupported dtype \"" + dt.getAsString() + "\""));
        JsonArray shapeArr = sh.getAsJsonArray();
        long[] shape = new long[shapeArr.size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = longValue(shapeArr.get(i), where + ": shape");
            if (shape[i] < 0) {
                throw new ModelFormatException(where + ": negative dimension in shape " + shapeArr);
            }
            elements = Math.multiplyExact(elements, shape[i]);
        }
        JsonArray offArr = off.getAsJsonArray();
        if (offArr.size() != 2) {
            throw new ModelFormatException(where + ": data_offsets must be [begin, end], got " + offArr);
        }
        long begin = longValue(offArr.get(0), where + ": data_offsets");
        long end = longValue(offArr.get(1), where + ": data_offsets");
        if (begin < 0 || end < begin || end > dataSize) {
            throw new ModelFormatException(where + ": data_offsets [" + begin + ", " + end
                    + "] out of range (data section is " + dataSize + " bytes)");
        }
        long expected = elements * dtype.bytes();
        if (end - begin != expected) {
            throw new ModelFormatException(where + ": data_offsets span " + (end - begin) + " bytes but "
                    + dtype + " " + shapeArr + " needs " + expected);
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static long longValue(JsonElement e, String where) {
        try {
            double d = e.getAsDouble();
            if (d != Math.rint(d)) {
                throw new ModelFormatException(where + " holds a non-integer " + e);
            }
            return e.getAsLong();
        } catch (NumberFormatException | UnsupportedOperationException | IllegalStateException ex) {
            throw new ModelFormatException(where + " holds a non-number " + e, ex);
        }
    }

    public Path path() {
        return path;
    }

    public Map<String, Entry> entries() {
        return entries;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Reads one tensor. Float dtypes become a FLOAT array (F64 is narrowed, F16/BF16 widened
     * exactly); I64 becomes LONG, other integer types INT, BOOL becomes BOOL.
     */
    public INDArray read(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new ModelFormatException(path + ": missing tensor \"" + name + "\"");
        }
        long bytes = e.end() - e.begin();
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new ModelFormatException(path + ": tensor \"" + name + "\" is " + bytes
                    + " bytes; tensors above 2 GB are not supported");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            readFully(ch, buf, dataStart + e.begin(), path);
        } catch (IOException ex) {
            throw new ModelFormatException(path + ": cannot read tensor \"" + name + "\": " + ex.getMessage(), ex);
        }
        buf.flip();
        int n = (int) e.elements();
        long[] shape = e.shape();
        switch (e.dtype()) {
            case F32 -> {
                float[] f = new float[n];
                buf.asFloatBuffer().get(f);
                return Nd4j.create(f, shape, 'c');
            }
            case F64 -> {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = (float) buf.getDouble();
                }
                return Nd4j.create(f, shape, 'c');
            }
            case F16, BF16 -> {
                float[] f = new float[n];
                boolean bf = e.dtype() == DType.BF16;
                for (int i = 0; i < n; i++) {
                    short s = buf.getShort();
                    f[i] = bf ? HalfFloats.bf16ToFloat(s) : HalfFloats.f16ToFloat(s);
                }
                return Nd4j.create(f, shape, 'c');
            }
            case I64 -> {
                long[] l = new long[n];
                buf.asLongBuffer().get(l);
                return Nd4j.createFromArray(l).reshape(shape);
            }
            case I32, I16, I8, U8 -> {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    v[i] = switch (e.dtype()) {
                        case I32 -> buf.getInt();
                        case I16 -> buf.getShort();
                        case I8 -> buf.get();
                        default -> buf.get() & 0xff;
                    };
                }
                return Nd4j.createFromArray(v).reshape(shape);
            }
            case BOOL -> {
                boolean[] b = new boolean[n];
                for (int i = 0; i < n; i++) {
                    b[i] = buf.get() != 0;
                }
                return Nd4j.createFromArray(b).reshape(shape).castTo(DataType.BOOL);
            }
            default -> throw new ModelFormatException(path + ": tensor \"" + name + "\": unsupported dtype " + e.dtype());
        }
    }

    /** Reads every tensor of the file, in header order. */
    public TensorMap readAll() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (String name : entries.keySet()) {
            m.put(name, read(name));
        }
        return new TensorMap(path.toString(), m);
    }

    private static void readFully(FileChannel ch, ByteBuffer dst, long position, Path path) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int r = ch.read(dst, pos);
            if (r < 0) {
                throw new ModelFormatException(path + ": unexpected end of file at byte " + pos);
            }
            pos += r;
        }
    }
}
