package painters.study;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.internal.LazilyParsedNumber;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import painters.model.UserInputException;

/**
 * A study file's JSON, read strictly: one object, nothing after it, and no key given twice in an object (Gson's
 * parser would silently keep the last). Errors name the file, the key path and the line.
 */
public final class StrictJson {

    private StrictJson() {}

    public static JsonObject object(String text, String source) {
        if (text.isBlank()) {
            throw new UserInputException(source + ": the file is empty; a study spec is a JSON object");
        }
        JsonReader r = new JsonReader(new StringReader(text));
        try {
            if (r.peek() != JsonToken.BEGIN_OBJECT) {
                throw new UserInputException(source + ": a study spec is a JSON object (" + where(r) + ")");
            }
            JsonElement e = read(r, "", source);
            boolean more;
            try {
                more = r.peek() != JsonToken.END_DOCUMENT;
            } catch (IOException junk) {
                more = true;
            }
            if (more) {
                throw new UserInputException(source + ": text after the study's JSON object (" + where(r) + ")");
            }
            return e.getAsJsonObject();
        } catch (IOException | IllegalStateException | JsonParseException | NumberFormatException e) {
            String m = String.valueOf(e.getMessage()).replaceFirst("^Use JsonReader\\.setStrictness\\([^)]*\\) to accept "
                    + "malformed JSON ", "malformed JSON ").replaceFirst("\\s*See https://\\S+$", "");
            throw new UserInputException(source + ": not valid JSON: " + m, e);
        }
    }

    private static JsonElement read(JsonReader r, String path, String source) throws IOException {
        switch (r.peek()) {
            case BEGIN_OBJECT -> {
                JsonObject o = new JsonObject();
                r.beginObject();
                while (r.hasNext()) {
                    String name = r.nextName();
                    String at = path.isEmpty() ? name : path + "." + name;
                    if (o.has(name)) {
                        throw new UserInputException(source + ": key \"" + at + "\" is given twice (" + where(r) + ")");
                    }
                    o.add(name, read(r, at, source));
                }
                r.endObject();
                return o;
            }
            case BEGIN_ARRAY -> {
                JsonArray a = new JsonArray();
                r.beginArray();
                while (r.hasNext()) {
                    a.add(read(r, path + "[" + a.size() + "]", source));
                }
                r.endArray();
                return a;
            }
            case STRING -> {
                return new JsonPrimitive(r.nextString());
            }
            case NUMBER -> {
                return new JsonPrimitive(new LazilyParsedNumber(r.nextString()));
            }
            case BOOLEAN -> {
                return new JsonPrimitive(r.nextBoolean());
            }
            case NULL -> {
                r.nextNull();
                return JsonNull.INSTANCE;
            }
            default -> throw new UserInputException(source + ": unexpected " + r.peek() + " (" + where(r) + ")");
        }
    }

    /** "line L column C" of the reader's position. */
    private static String where(JsonReader r) {
        Matcher m = Pattern.compile("line \\d+ column \\d+").matcher(r.toString());
        return m.find() ? m.group() : "position unknown";
    }
}
