package painters.model.family;

import java.util.Locale;
import painters.model.UserInputException;

/**
 * A decoder's residual connections, a training regime recorded in its {@code config.json} under
 * {@value #KEY} (absent in every released checkpoint: standard). Each residual add {@code x + f(x)} becomes
 * {@code a x + f(x)}: {@code standard} (a = 1), {@code none} (a = 0: each sub-layer's output replaces the stream; the
 * pre-norms stay, so every sub-layer still reads a normalised input) or {@code scaled(a)}. Transformers' own classes
 * ignore the key and would load such a model as a standard one; Painters reads it.
 */
public final class Residual {

    /** The config.json key. */
    public static final String KEY = "painters_residual";

    private Residual() {}

    /** The scale a regime names: "standard", "none" or "scaled(A)" with A >= 0. */
    public static double scale(String regime) {
        String r = regime.strip().toLowerCase(Locale.ROOT);
        if (r.equals("standard")) {
            return 1;
        }
        if (r.equals("none")) {
            return 0;
        }
        if (r.startsWith("scaled(") && r.endsWith(")")) {
            try {
                double a = Double.parseDouble(r.substring("scaled(".length(), r.length() - 1));
                if (a >= 0 && !Double.isInfinite(a)) {
                    return a;
                }
            } catch (NumberFormatException e) {
                // refused below
            }
        }
        throw new UserInputException("residual \"" + regime + "\" is not a regime (standard, none or scaled(A) with "
                + "A >= 0)");
    }

    /** The regime's name for a scale: the inverse of {@link #scale}. */
    public static String name(double scale) {
        return scale == 1 ? "standard" : scale == 0 ? "none" : "scaled(" + scale + ")";
    }
}
