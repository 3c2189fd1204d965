package painters.eval.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * A CSV file's text, RFC 4180 through Apache Commons CSV: a field is quoted where it holds a comma, a quote or a line
 * break (a plan such as {@code 0-4,P(5-7)x3,8-11}), rows end in {@code \n}. Numbers are formatted by the caller
 * ({@link #fixed}) so every file keeps its stated precision.
 */
public final class Csv {

    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").build();

    private final StringBuilder text = new StringBuilder();
    private final CSVPrinter printer;

    private Csv(Object... header) {
        try {
            printer = new CSVPrinter(text, FORMAT);
            printer.printRecord(header);
        } catch (IOException e) {
            throw new UncheckedIOException(e);                // a StringBuilder never fails
        }
    }

    /** A file with this header row. */
    public static Csv withHeader(Object... names) {
        return new Csv(names);
    }

    /** Appends one row; each value as {@link String#valueOf} writes it (null: an empty field). */
    public Csv row(Object... values) {
        try {
            printer.printRecord(values);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Appends one row of values given as a list. */
    public Csv row(List<?> values) {
        return row(values.toArray());
    }

    /** The file's text. */
    public String text() {
        return text.toString();
    }

    /** {@code v} with {@code decimals} digits after the point (locale-independent). */
    public static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
