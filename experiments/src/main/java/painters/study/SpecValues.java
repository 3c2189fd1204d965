package painters.study;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import painters.model.UserInputException;

/**
 * Typed values of a study file's keys: every wrong type or non-integral number is an error that names
 * the key ({@code "seeds" must be an integer, got 1.7}), never a silent truncation.
 */
public final class SpecValues {

    private SpecValues() {}

    /** An integer value of {@code key} ({@code prefix} names the object, e.g. "finetune."). */
    public static int integer(JsonObject o, String key, String prefix) {
        return (int) whole(o.get(key), prefix + key, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    public static double number(JsonObject o, String key, String prefix) {
        JsonElement e = o.get(key);
        try {
            if (e == null || !e.isJsonPrimitive()) {
                throw new NumberFormatException();
            }
            double d = Double.parseDouble(e.getAsString().strip());
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException ex) {
            throw new UserInputException("\"" + prefix + key + "\" must be a number, got " + e);
        }
    }

    /** A list of integers: every element a whole number. */
    static List<Integer> integers(List<String> values, String key) {
        List<Integer> out = new ArrayList<>();
        for (String v : values) {
            out.add((int) whole(new JsonPrimitive(v), key, Integer.MIN_VALUE, Integer.MAX_VALUE));
        }
        return out;
    }

    static List<Long> longs(List<String> values, String key) {
        List<Long> out = new ArrayList<>();
        for (String v : values) {
            out.add(whole(new JsonPrimitive(v), key, Long.MIN_VALUE, Long.MAX_VALUE));
        }
        return out;
    }

    private static long whole(JsonElement e, String key, long min, long max) {
        try {
            if (e == null || !e.isJsonPrimitive()) {
                throw new NumberFormatException();
            }
            BigDecimal d = new BigDecimal(e.getAsString().strip());
            if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) {
                throw new UserInputException("\"" + key + "\" must be an integer, got " + e);
            }
            if (d.compareTo(BigDecimal.valueOf(min)) < 0 || d.compareTo(BigDecimal.valueOf(max)) > 0) {
                throw new UserInputException("\"" + key + "\" is out of range: " + e);
            }
            return d.longValueExact();
        } catch (NumberFormatException | ArithmeticException ex) {
            throw new UserInputException("\"" + key + "\" must be an integer, got " + e);
        }
    }

    /**
     * A study's nested settings object ({@code what}: spark, search) with its defaults filled in; an unknown key is
     * an error naming {@code source}.
     */
    public static JsonObject withDefaults(Map<String, JsonElement> defaults, JsonObject o, String what,
                                   String source) {
        JsonObject m = new JsonObject();
        defaults.forEach(m::add);
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            if (!defaults.containsKey(e.getKey())) {
                throw new UserInputException(source + ": unknown " + what + " key \"" + e.getKey() + "\" (known: "
                        + defaults.keySet() + ")");
            }
            m.add(e.getKey(), e.getValue());
        }
        return m;
    }

    /** {@code value} >= {@code min}, else an error naming the key and the rule. */
    public static void atLeast(String key, int value, int min) {
        if (value < min) {
            throw new UserInputException(key + " must be at least " + min + ", got " + value);
        }
    }
}
