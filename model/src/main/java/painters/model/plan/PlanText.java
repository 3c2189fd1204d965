package painters.model.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The canonical text form of a {@link LayerPlan}: short enough for file names, CLI flags and result
 * rows. Grammar:
 * <pre>
 *   plan := seq [";seed=" ["-"] INT]
 *   seq  := item ("," item)*
 *   item := atom ["x" INT]                 a loop when "xK" follows
 *   atom := INT ["-" INT]                  one block, or a range (ascending or descending)
 *         | "P(" set ")"                   parallel step over a set of blocks
 *         | "M(" set ")"                   one block whose tensors are the mean of a set of blocks' (merge)
 *         | "(" seq ")"                    a sub-plan (for loops)
 *   set  := INT ["-" INT] ("," INT ["-" INT])*
 * </pre>
 * Examples: {@code 0-11} (identity, T=12), {@code 0-5,11-6} (reversed middle), {@code 0-5,6x6}
 * (middle repeat), {@code 0-5,P(6-11)x3} (looped parallel), {@code 0-5,M(6-11),11} (merged middle),
 * {@code 0-5,8,6,11,7,10,9;seed=3}.
 */
public final class PlanText {

    private PlanText() {}

    // ---------------------------------------------------------------- printing

    public static String print(LayerPlan p) {
        String s = printSeq(p.steps());
        return p.seed().isPresent() ? s + ";seed=" + p.seed().getAsLong() : s;
    }

    public static String print(Step s) {
        if (s instanceof Step.Run r) {
            return Integer.toString(r.layer());
        }
        if (s instanceof Step.Parallel p) {
            return "P(" + printNumbers(p.layers()) + ")";
        }
        if (s instanceof Step.Merge m) {
            return "M(" + printNumbers(m.layers()) + ")";
        }
        Step.Loop l = (Step.Loop) s;
        List<Step> b = l.body();
        String atom;
        if (b.size() == 1 && !(b.get(0) instanceof Step.Loop)) {
            atom = print(b.get(0));
        } else if (isSingleRange(b)) {
            atom = printSeq(b);
        } else {
            atom = "(" + printSeq(b) + ")";
        }
        return atom + "x" + l.times();
    }

    static String printSeq(List<Step> steps) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < steps.size()) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            if (steps.get(i) instanceof Step.Run) {
                int j = rangeEnd(steps, i);
                int a = ((Step.Run) steps.get(i)).layer();
                int b = ((Step.Run) steps.get(j)).layer();
                sb.append(j > i ? a + "-" + b : Integer.toString(a));
                i = j + 1;
            } else {
                sb.append(print(steps.get(i)));
                i++;
            }
        }
        return sb.toString();
    }

    /** Index of the last Run continuing a +1 or -1 run of block indices starting at {@code i}. */
    private static int rangeEnd(List<Step> steps, int i) {
        int j = i;
        int dir = 0;
        while (j + 1 < steps.size() && steps.get(j + 1) instanceof Step.Run next) {
            int d = next.layer() - ((Step.Run) steps.get(j)).layer();
            if ((d != 1 && d != -1) || (dir != 0 && d != dir)) {
                break;
            }
            dir = d;
            j++;
        }
        return j;
    }

    private static boolean isSingleRange(List<Step> b) {
        return b.size() >= 2 && b.stream().allMatch(s -> s instanceof Step.Run) && rangeEnd(b, 0) == b.size() - 1;
    }

    private static String printNumbers(List<Integer> xs) {
        List<Step> asRuns = LayerPlan.runs(xs);
        return printSeq(asRuns);
    }

    /** A file-name-safe form of the plan text: {@code 0-5,P(6-11)x3 -> 0-5_P6-11x3}. */
    public static String slug(LayerPlan p) {
        return print(p).replace(";seed=", "_seed").replace(',', '_').replace("(", "").replace(")", "");
    }

    // ---------------------------------------------------------------- parsing

    public static LayerPlan parse(String text, int numLayers) {
        if (text == null || text.isBlank()) {
            throw new PlanParseException(text == null ? "" : text, 0, "empty plan");
        }
        Parser p = new Parser(text, numLayers);
        List<Step> steps = p.seq();
        OptionalLong seed = OptionalLong.empty();
        p.skipSpace();
        if (p.peek() == ';') {
            p.pos++;
            p.expectWord("seed=");
            seed = OptionalLong.of(p.number(true));          // seeds may be negative; print() writes them so
        }
        p.skipSpace();
        if (!p.atEnd()) {
            throw p.error("unexpected '" + p.peek() + "'");
        }
        try {
            return new LayerPlan(numLayers, steps, seed);
        } catch (IllegalArgumentException e) {
            throw new PlanParseException(text, 0, e.getMessage());
        }
    }

    private static final class Parser {
        final String s;
        final int t;
        int pos;

        Parser(String s, int t) {
            this.s = s;
            this.t = t;
        }

        boolean atEnd() {
            return pos >= s.length();
        }

        char peek() {
            return atEnd() ? '\0' : s.charAt(pos);
        }

        void skipSpace() {
            while (!atEnd() && Character.isWhitespace(peek())) {
                pos++;
            }
        }

        PlanParseException error(String msg) {
            return new PlanParseException(s, pos, msg);
        }

        void expect(char c) {
            skipSpace();
            if (peek() != c) {
                throw error(atEnd() ? "expected '" + c + "' but the plan ends" : "expected '" + c + "', found '" + peek() + "'");
            }
            pos++;
        }

        void expectWord(String w) {
            if (!s.startsWith(w, pos)) {
                throw error("expected \"" + w + "\"");
            }
            pos += w.length();
        }

        List<Step> seq() {
            List<Step> out = new ArrayList<>(item());
            skipSpace();
            while (peek() == ',') {
                pos++;
                out.addAll(item());
                skipSpace();
            }
            return out;
        }

        List<Step> item() {
            List<Step> atom = atom();
            skipSpace();
            if (peek() == 'x') {
                pos++;
                skipSpace();
                int at = pos;
                long k = number(false);
                if (k < 1) {
                    pos = at;
                    throw error("a loop runs at least once, got x" + k);
                }
                return List.of(new Step.Loop(atom, (int) k));
            }
            return atom;
        }

        List<Step> atom() {
            skipSpace();
            char c = peek();
            if (c == 'P' || c == 'M') {
                String what = c == 'P' ? "parallel" : "merge";
                int at = pos;
                pos++;
                expect('(');
                skipSpace();
                if (peek() == ')') {
                    throw error("empty " + what + " set");
                }
                List<Integer> layers = new ArrayList<>();
                for (Step r : rangeList()) {
                    int l = ((Step.Run) r).layer();
                    if (layers.contains(l)) {
                        pos = at;
                        throw error("block " + l + " appears twice in this " + what + " step");
                    }
                    layers.add(l);
                }
                expect(')');
                return List.of(c == 'P' ? new Step.Parallel(layers) : new Step.Merge(layers));
            }
            if (c == '(') {
                pos++;
                skipSpace();
                if (peek() == ')') {
                    throw error("empty sub-plan");
                }
                List<Step> inner = seq();
                expect(')');
                return inner;
            }
            if (Character.isDigit(c) || c == '-') {
                return range();
            }
            throw error(atEnd() ? "the plan ends where a block, P(...), M(...) or (...) was expected"
                    : "expected a block index, P(...), M(...) or (...), found '" + c + "'");
        }

        List<Step> rangeList() {
            List<Step> out = new ArrayList<>(range());
            skipSpace();
            while (peek() == ',') {
                pos++;
                out.addAll(range());
                skipSpace();
            }
            return out;
        }

        List<Step> range() {
            int a = block();
            skipSpace();
            if (peek() == '-') {
                pos++;
                int b = block();
                return LayerPlan.runs(LayerPlan.range(a, b));
            }
            return List.of(new Step.Run(a));
        }

        int block() {
            skipSpace();
            int at = pos;
            if (peek() == '-') {
                throw error("block indices are not negative");
            }
            long v = number(false);
            if (v >= t) {
                pos = at;
                throw error("block " + v + " is outside 0.." + (t - 1) + " (T=" + t + ")");
            }
            return (int) v;
        }

        long number(boolean allowSign) {
            skipSpace();
            int start = pos;
            if (allowSign && peek() == '-') {
                pos++;
            }
            while (!atEnd() && Character.isDigit(peek())) {
                pos++;
            }
            if (pos == start) {
                throw error(atEnd() ? "expected a number but the plan ends" : "expected a number, found '" + peek() + "'");
            }
            try {
                return Long.parseLong(s.substring(start, pos));
            } catch (NumberFormatException e) {
                pos = start;
                throw error("number too large");
            }
        }
    }

    /** A plan's text shortened for messages. */
    static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
