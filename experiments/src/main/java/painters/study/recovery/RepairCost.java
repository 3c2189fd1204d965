package painters.study.recovery;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import painters.results.ResultRow;

/**
 * What each training-free repair of a study cost, next to what one fine-tuning step of the repaired plan costs: the
 * report's "Training-free repairs" section. Read from the stored rows: every repaired run records the repair it fitted
 * (its description: where the map went, calibration tokens and texts, seconds and FLOPs of the fit), and every curve
 * point its tokens, seconds and training FLOPs per token.
 */
final class RepairCost {

    /** The fit's numbers in {@code LinearRepair#describe()}. */
    static final Pattern FIT = Pattern.compile("linear repair: (.*), fitted on ([\\d,]+) tokens of (\\d+) texts "
            + "\\(ridge ([^)]+)\\) in ([\\d.]+) s, ([\\d.eE+-]+) FLOPs");

    private RepairCost() {}

    /** One plan's repairs: the fit (the same each time: tokens, FLOPs) and its wall times, and a step's cost. */
    record Plan(String plan, String where, long tokens, int texts, double flops, List<Double> seconds, double stepFlops,
                double stepSeconds) {}

    static List<Plan> of(List<ResultRow> rows) {
        Map<String, List<ResultRow>> byRun = new LinkedHashMap<>();
        for (ResultRow r : rows) {
            if (r.training() != null && r.training().settings() != null && r.training().settings().contains("\"repaired\"")
                    && r.score().primary()) {
                byRun.computeIfAbsent(r.cell(), k -> new ArrayList<>()).add(r);
            }
        }
        Map<String, Plan> plans = new LinkedHashMap<>();
        for (List<ResultRow> run : byRun.values()) {
            ResultRow last = run.stream().max((a, b) -> Integer.compare(a.training().step(), b.training().step()))
                    .orElseThrow();
            JsonObject how = JsonParser.parseString(last.training().settings()).getAsJsonObject();
            Matcher m = FIT.matcher(how.get("repaired").getAsString());
            if (!m.find()) {
                throw new IllegalStateException("a stored repair description the report cannot read: "
                        + how.get("repaired").getAsString());
            }
            int steps = last.training().step();
            // the curve point's training FLOPs are the run's so far (per token x tokens seen)
            double stepFlops = steps > 0 ? last.training().flops() / steps : Double.NaN;
            double stepSeconds = steps > 0 ? last.training().seconds() / steps : Double.NaN;
            String plan = last.plan().plan();
            Plan prior = plans.get(plan);
            List<Double> seconds = prior == null ? new ArrayList<>() : prior.seconds();
            seconds.add(Double.parseDouble(m.group(5)));
            if (prior == null || Double.isNaN(prior.stepFlops())) {
                plans.put(plan, new Plan(plan, m.group(1), Long.parseLong(m.group(2).replace(",", "")),
                        Integer.parseInt(m.group(3)), Double.parseDouble(m.group(6)), seconds, stepFlops, stepSeconds));
            }
        }
        return List.copyOf(plans.values());
    }

    /** The report section (empty without repairs). */
    static String section(List<ResultRow> rows) {
        List<Plan> plans = of(rows);
        if (plans.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("## Training-free repairs\n\nEach repaired plan's map is fitted once per "
                + "run on the same calibration data (the same map each time; its wall time varies); a fine-tuning step's "
                + "FLOPs are the run's training FLOPs over its steps, its seconds the run's wall "
                + "time per step (evaluations included, so an upper bound).\n\n"
                + "| plan | repair | calibration | fit FLOPs | fit seconds (mean, fits) | one step's FLOPs | fit in steps' "
                + "FLOPs | one step's seconds |\n|---|---|---|---|---|---|---|---|\n");
        for (Plan p : plans) {
            double mean = p.seconds().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            sb.append(String.format(Locale.ROOT, "| `%s` | %s | %,d tokens of %d texts | %.2e | %.1f (%d) | %.2e | %.1f | "
                    + "%.1f |%n", p.plan(), p.where(), p.tokens(), p.texts(), p.flops(), mean, p.seconds().size(),
                    p.stepFlops(), p.flops() / p.stepFlops(), p.stepSeconds()));
        }
        return sb.append("\n").toString();
    }
}
