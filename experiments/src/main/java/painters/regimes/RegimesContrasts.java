package painters.regimes;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import painters.eval.io.Csv;
import painters.eval.metric.Welch;

/**
 * Each regime against the reference regime (the study's first, {@code standard}), plan by plan, over the seeds: the
 * report's section "Each regime against ..." and {@code summary/contrasts.csv}. The seeds are the replicates because a
 * regime is a way of training; a model's own items are not.
 */
final class RegimesContrasts {

    private RegimesContrasts() {}
    /**
     * Each regime against the first ({@code regimes.get(0)}, the reference) per plan, over the seeds: Welch's
     * difference of the means, its error and its call ({@link Welch}: beyond Student's t at the Welch degrees of
     * freedom, so two seeds a side call only large differences). {@code plan -> regime -> contrast}, in
     * {@link #RegimesOutputs.PLAN_ORDER}; plans a regime or the reference lacks are left out.
     */
    static Map<String, Map<String, Welch>> of(List<String> regimes, List<List<String>> rows) {
        Map<String, Map<String, Welch>> out = new TreeMap<>(RegimesOutputs.PLAN_ORDER);
        String ref = regimes.get(0);
        RegimesOutputs.means(rows).forEach((key, byRegime) -> {
            double[] a = byRegime.get(ref);
            Map<String, Welch> o = new LinkedHashMap<>();
            for (String r : regimes.subList(1, regimes.size())) {
                double[] b = byRegime.get(r);
                if (a != null && b != null) {
                    o.put(r, Welch.of(a[0], a[1], (int) a[2], b[0], b[1], (int) b[2]));
                }
            }
            if (!o.isEmpty()) {
                out.put(key, o);
            }
        });
        return out;
    }

    /** {@code summary/contrasts.csv}: every regime against the reference per plan ({@link #of}). */
    static String csv(List<String> regimes, List<List<String>> rows) {
        Csv csv = Csv.withHeader("regime", "reference", "variant", "split", "affected", "difference", "se", "df",
                "t_critical", "call");
        of(regimes, rows).forEach((key, byRegime) -> byRegime.forEach((r, w) -> {
            String[] k = key.split(" \\| ");
            csv.row(r, regimes.get(0), k[0], k[1], k[2], Csv.fixed(w.difference(), 6), Csv.fixed(w.se(), 6),
                    Csv.fixed(w.df(), 3), Csv.fixed(w.critical(), 3), w.call().words());
        }));
        return csv.text();
    }

    /** The report's contrasts: per plan each regime minus the reference, its error and call; then the calls counted. */
    static String section(List<String> regimes, List<List<String>> rows) {
        Map<String, Map<String, Welch>> c = of(regimes, rows);
        if (c.isEmpty() || regimes.size() < 2) {
            return "";
        }
        String ref = regimes.get(0);
        List<String> others = regimes.subList(1, regimes.size());
        StringBuilder sb = new StringBuilder("\n## Each regime against " + ref + "\n\nPer plan, the regime's mean "
                + "normalised score minus " + ref + "'s, `+-` the error of the difference from each side's seeds (Welch), "
                + "and the call: higher or lower where the difference exceeds Student's t (97.5%, Welch-Satterthwaite "
                + "degrees of freedom) standard errors, which with two seeds a side is about 4-12 (`summary/contrasts.csv` "
                + "has each t and its degrees); the seeds are the replicates because a regime is a way of training, so "
                + "a model's own items are not.\n\n| variant | s | affected | ");
        sb.append(others.stream().map(r -> r + " - " + ref).collect(Collectors.joining(" | ")))
                .append(" |\n|---|---|---|").append("---|".repeat(others.size())).append("\n");
        c.forEach((key, byRegime) -> {
            sb.append("| ").append(key);
            for (String r : others) {
                Welch w = byRegime.get(r);
                sb.append(" | ").append(w == null ? "-" : Double.isNaN(w.se())
                        ? String.format(Locale.ROOT, "%+.3f (%s)", w.difference(), w.call().words())
                        : String.format(Locale.ROOT, "%+.3f +- %.3f (%s)", w.difference(), w.se(), w.call().words()));
            }
            sb.append(" |\n");
        });
        sb.append("\n");
        for (String r : others) {
            Map<Welch.Call, Long> n = new EnumMap<>(Welch.Call.class);
            c.values().stream().map(m -> m.get(r)).filter(Objects::nonNull)
                    .forEach(w -> n.merge(w.call(), 1L, Long::sum));
            sb.append(String.format(Locale.ROOT, "- %s against %s: %s.%n", r, ref, String.join(", ", n.entrySet().stream()
                    .map(e -> e.getKey().words() + " at " + e.getValue() + (e.getValue() == 1 ? " plan" : " plans"))
                    .toList())));
        }
        return sb.toString();
    }

}
