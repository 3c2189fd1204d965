package painters.study.router;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import painters.eval.io.Csv;
import painters.model.family.ModelFamilies;
import painters.model.io.AtomicFiles;
import painters.results.ResultRow;
import painters.results.Results;
import painters.study.StudySpec;
import painters.study.figures.Charts;
import painters.study.figures.Pareto;

/**
 * A router study's outputs, from its results file: {@code summary/router.csv} (per target every static plan and
 * every router, with standard errors), {@code figures/router_TARGET.png} (score against block applications: the
 * static plans, their Pareto front, the routers at their expected applications with error bars, and the oracle) and
 * {@code report.md} (per target the tables and, per router, whether it beats the best static plan of no more
 * block applications and the random mixture of the same proportions, by 2 standard errors of the paired
 * difference).
 */
final class RouterOutputs {

    private RouterOutputs() {}

    /** A static plan's score. */
    record StaticPlan(String plan, int depth, int applications, double value, double se, int n) {}

    /** A router's stored values (each with its standard error). */
    record RouterPoint(double penalty, double value, double se, double applications, double applicationsSe,
                       double depth, double gainStatic, double gainStaticSe, String bestStatic, double gainBelow,
                       double gainBelowSe, String bestBelow, double gainMixture, double gainMixtureSe, String shares,
                       int n) {}

    /** One target's statics and routers. */
    record TargetResult(String target, String metric, boolean lowerBetter, String protocol, List<StaticPlan> statics,
                        List<RouterPoint> routers, double oracle, double oracleSe, double oracleApplications) {}

    static List<TargetResult> read(Path dir) throws IOException {
        Map<String, List<ResultRow>> byTarget = new LinkedHashMap<>();
        for (ResultRow r : Results.read(dir.resolve(Results.FILE))) {
            if (r.sweep() != null && r.sweep().params().has("role")) {
                byTarget.computeIfAbsent(r.score().task(), k -> new ArrayList<>()).add(r);
            }
        }
        List<TargetResult> out = new ArrayList<>();
        for (Map.Entry<String, List<ResultRow>> e : byTarget.entrySet()) {
            List<StaticPlan> statics = new ArrayList<>();
            Map<Integer, Map<String, ResultRow>> routers = new LinkedHashMap<>();
            String metric = null;
            String protocol = "";
            Map<String, ResultRow> oracle = new LinkedHashMap<>();
            for (ResultRow r : e.getValue()) {
                String role = r.sweep().params().get("role").getAsString();
                if (role.equals(RouterKind.ORACLE)) {
                    oracle.put(r.score().metric(), r);
                } else if (role.equals(RouterKind.STATIC)) {
                    statics.add(new StaticPlan(r.plan().plan(), r.plan().depth(), r.plan().applications(), r.score().value(),
                            r.score().stderr(), r.score().n()));
                    metric = r.score().metric();
                    protocol = r.score().protocol();
                } else {
                    routers.computeIfAbsent(r.sweep().candidate(), k -> new LinkedHashMap<>()).put(r.score().metric(), r);
                }
            }
            List<RouterPoint> points = new ArrayList<>();
            for (Map<String, ResultRow> m : routers.values()) {
                ResultRow s = m.get(metric);
                ResultRow a = m.get("applications");
                ResultRow gs = m.get("gain_vs_static");
                ResultRow gb = m.get("gain_vs_static_below");
                ResultRow gm = m.get("gain_vs_mixture");
                points.add(new RouterPoint(s.sweep().params().get("penalty").getAsDouble(), s.score().value(),
                        s.score().stderr(), a.score().value(), a.score().stderr(), m.get("depth").score().value(),
                        gs.score().value(), gs.score().stderr(), s.sweep().params().get("best_static").getAsString(),
                        gb.score().value(), gb.score().stderr(),
                        s.sweep().params().get("best_static_below").getAsString(), gm.score().value(), gm.score().stderr(), s.sweep().params().get("shares").getAsString(),
                        s.score().n()));
            }
            ResultRow ov = oracle.get(metric);
            ResultRow oa = oracle.get("applications");
            out.add(new TargetResult(e.getKey(), metric, "perplexity".equals(metric), protocol, statics, points,
                    ov == null ? Double.NaN : ov.score().value(), ov == null ? Double.NaN : ov.score().stderr(),
                    oa == null ? Double.NaN : oa.score().value()));
        }
        return out;
    }

    static void write(Path dir, StudySpec spec) throws IOException {
        List<TargetResult> all = read(dir);
        Files.createDirectories(dir.resolve("summary"));
        Files.createDirectories(dir.resolve("figures"));
        Csv csv = Csv.withHeader("target", "kind", "plan_or_penalty", "metric", "value", "se", "applications",
                "applications_se", "depth", "gain_vs_static", "gain_vs_static_se", "best_static", "gain_vs_static_below",
                "gain_vs_static_below_se", "best_static_below", "gain_vs_mixture", "gain_vs_mixture_se", "shares");
        for (TargetResult t : all) {
            for (StaticPlan s : t.statics()) {
                csv.row(t.target(), "static", s.plan(), t.metric(), Csv.fixed(s.value(), 6), Csv.fixed(s.se(), 6),
                        s.applications(), 0, s.depth(), "", "", "", "", "", "", "", "", "");
            }
            for (RouterPoint r : t.routers()) {
                csv.row(t.target(), "router", r.penalty(), t.metric(), Csv.fixed(r.value(), 6), Csv.fixed(r.se(), 6),
                        Csv.fixed(r.applications(), 4), Csv.fixed(r.applicationsSe(), 4), Csv.fixed(r.depth(), 4),
                        Csv.fixed(r.gainStatic(), 6), Csv.fixed(r.gainStaticSe(), 6), r.bestStatic(),
                        Csv.fixed(r.gainBelow(), 6), Csv.fixed(r.gainBelowSe(), 6), r.bestBelow(),
                        Csv.fixed(r.gainMixture(), 6), Csv.fixed(r.gainMixtureSe(), 6), r.shares());
            }
            AtomicFiles.write(dir.resolve("figures").resolve("router_" + t.target().replaceAll("[^A-Za-z0-9_.-]", "_")
                    + ".png"), chart(spec, t));
        }
        AtomicFiles.writeString(dir.resolve("summary").resolve("router.csv"), csv.text());
        AtomicFiles.writeString(dir.resolve("report.md"), report(spec, all));
    }

    private static byte[] chart(StudySpec spec, TargetResult t) throws IOException {
        XYChart c = new XYChartBuilder().width(900).height(550).title(spec.name() + ", " + t.target() + ": routers vs "
                + "static plans").xAxisTitle("block applications per input (routers: expected)")
                .yAxisTitle(t.metric() + " (+- se)").build();
        Charts.style(c);
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        XYSeries s = c.addSeries("static plans", t.statics().stream().mapToDouble(StaticPlan::applications).toArray(),
                t.statics().stream().mapToDouble(StaticPlan::value).toArray(),
                t.statics().stream().mapToDouble(StaticPlan::se).toArray());
        s.setMarkerColor(new Color(0x1f77b4));
        List<StaticPlan> front = staticFront(t);
        XYSeries f = c.addSeries("static front", front.stream().mapToDouble(StaticPlan::applications).toArray(),
                front.stream().mapToDouble(StaticPlan::value).toArray());
        f.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        f.setLineColor(new Color(0x1f77b4));
        f.setMarkerColor(new Color(0x1f77b4));
        if (!t.routers().isEmpty()) {
            XYSeries r = c.addSeries("routers (one per penalty)", t.routers().stream().mapToDouble(RouterPoint::applications)
                    .toArray(), t.routers().stream().mapToDouble(RouterPoint::value).toArray(),
                    t.routers().stream().mapToDouble(RouterPoint::se).toArray());
            r.setMarkerColor(new Color(0xd62728));
        }
        if (!Double.isNaN(t.oracle())) {
            XYSeries o = c.addSeries("oracle (each input on its best plan)", new double[] {t.oracleApplications()},
                    new double[] {t.oracle()}, new double[] {t.oracleSe()});
            o.setMarkerColor(new Color(0x7f7f7f));
        }
        return BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG);
    }

    /** Static plans no other static plan beats at no more block applications, by increasing applications. */
    static List<StaticPlan> staticFront(TargetResult t) {
        return Pareto.front(t.statics(), StaticPlan::applications, s -> t.lowerBetter() ? -s.value() : s.value());
    }

    /**
     * "better", "worse" or "indistinguishable": a gain against 2 standard errors (a gain within rounding of 0, as
     * when both sides chose the same plans everywhere, is indistinguishable).
     */
    static String verdict(double gain, double se) {
        if (Math.abs(gain) < 1e-12) {
            return "indistinguishable";
        }
        if (gain > 2 * se) {
            return "better";
        }
        return gain < -2 * se ? "worse" : "indistinguishable";
    }

    static String report(StudySpec spec, List<TargetResult> all) {
        StringBuilder r = new StringBuilder("# Learned routers: " + spec.name() + "\n\n");
        if (!spec.description().isEmpty()) {
            r.append(spec.description()).append("\n\n");
        }
        ModelFamilies.surgeryNotes(spec.model()).forEach(n -> r.append(n).append("\n\n"));
        r.append(String.format(Locale.ROOT, "Model `%s`. Per target, a linear router reads the state after the plans' "
                + "shared prefix and picks one plan per input; it is trained with the model frozen on each training "
                + "input's cost under each plan plus a compute penalty (nats per block application), by the exact "
                + "gradient of the expected cost over the plans (every plan's cost on a training input is known, so no "
                + "straight-through or Gumbel-softmax estimate is needed); at inference it takes its most probable plan. "
                + "Penalties %s. Comparisons are paired on the same scored inputs; a verdict needs the gain beyond 2 "
                + "standard errors. The static plans compared with are chosen by their mean cost on the router's "
                + "training inputs, never on the scored inputs. \"vs static <= ceil\": the best static plan with at most ceil(expected block "
                + "applications) (at least the router's compute: the strict test); \"vs static <= floor\": at most "
                + "floor(expected block applications) (no more than the router's compute); \"vs mixture\": the same plans drawn at random in the router's "
                + "proportions (exactly the same expected compute, blind to the input). On one device a router saves the "
                + "compute of the blocks it skips per input only when inputs are grouped by plan; in a padded batch "
                + "every plan's blocks run for the batch.%n%n", spec.model(), spec.settings(RouterSettings.class).penalties()));
        for (TargetResult t : all) {
            r.append("## ").append(t.target()).append("\n\n").append(t.protocol().split("; linear router")[0])
                    .append(".\n\n| static plan | block applications | depth | ").append(t.metric())
                    .append(" | on the front |\n|---|---|---|---|---|\n");
            List<StaticPlan> front = staticFront(t);
            for (StaticPlan s : t.statics()) {
                r.append(String.format(Locale.ROOT, "| `%s` | %d | %d | %.4f +- %.4f | %s |%n", s.plan(), s.applications(),
                        s.depth(), s.value(), s.se(), front.contains(s) ? "yes" : ""));
            }
            r.append("\n| penalty | expected applications | ").append(t.metric())
                    .append(" | vs static <= ceil | vs static <= floor | vs mixture | shares |\n|---|---|---|---|---|---|---|\n");
            for (RouterPoint p : t.routers()) {
                r.append(String.format(Locale.ROOT, "| %s | %.2f +- %.2f | %.4f +- %.4f | `%s`: %+.4f +- %.4f, %s | "
                                + "`%s`: %+.4f +- %.4f, %s | %+.4f +- %.4f, %s | %s |%n", p.penalty(), p.applications(),
                        p.applicationsSe(), p.value(), p.se(), p.bestStatic(), p.gainStatic(), p.gainStaticSe(),
                        verdict(p.gainStatic(), p.gainStaticSe()), p.bestBelow(), p.gainBelow(), p.gainBelowSe(),
                        verdict(p.gainBelow(), p.gainBelowSe()), p.gainMixture(), p.gainMixtureSe(),
                        verdict(p.gainMixture(), p.gainMixtureSe()), p.shares()));
            }
            if (!Double.isNaN(t.oracle())) {
                r.append(String.format(Locale.ROOT, "%nOracle (each scored input on the plan that does best on it, ties to "
                        + "the fewest block applications; what no router can exceed over these plans): %.4f +- %.4f at "
                        + "%.2f expected block applications.%n", t.oracle(), t.oracleSe(), t.oracleApplications()));
            }
            long better = t.routers().stream().filter(p -> verdict(p.gainStatic(), p.gainStaticSe()).equals("better"))
                    .count();
            long below = t.routers().stream().filter(p -> verdict(p.gainBelow(), p.gainBelowSe()).equals("better"))
                    .count();
            long mix = t.routers().stream().filter(p -> verdict(p.gainMixture(), p.gainMixtureSe()).equals("better"))
                    .count();
            r.append(String.format(Locale.ROOT, "%nDoes routing beat the best static plan of the same compute? %d of %d "
                    + "routers beat the best static plan of at least their expected compute (<= ceil) beyond 2 standard "
                    + "errors, %d of %d the best of no more (<= floor); %d of %d beat the random mixture of their own "
                    + "plans (gains: %s).%n%n", better, t.routers().size(), below, t.routers().size(), mix,
                    t.routers().size(),
                    t.lowerBetter() ? "drops in log-perplexity, nats per token" : "differences in " + t.metric()));
        }
        if (all.size() > 1 && all.stream().map(TargetResult::metric).distinct().count() == 1) {
            r.append(means(all));
        }
        return r.toString();
    }

    /**
     * The mean over targets, for a front across tasks: each static plan (the same plan on every target) and each
     * penalty (each target's own router), with the standard errors combined over targets.
     */
    static String means(List<TargetResult> all) {
        TargetResult first = all.get(0);
        StringBuilder r = new StringBuilder("## Mean over " + all.size() + " targets\n\n| static plan or router | block "
                + "applications (routers: mean expected) | mean " + first.metric() + " |\n|---|---|---|\n");
        for (StaticPlan s : first.statics()) {
            double[] m = {0, 0};
            boolean everywhere = true;
            for (TargetResult t : all) {
                StaticPlan same = t.statics().stream().filter(x -> x.plan().equals(s.plan())).findFirst().orElse(null);
                if (same == null) {
                    everywhere = false;
                    break;
                }
                m[0] += same.value() / all.size();
                m[1] += same.se() * same.se();
            }
            if (everywhere) {
                r.append(String.format(Locale.ROOT, "| `%s` | %d | %.4f +- %.4f |%n", s.plan(), s.applications(), m[0],
                        Math.sqrt(m[1]) / all.size()));
            }
        }
        for (int j = 0; j < first.routers().size(); j++) {
            double apps = 0;
            double v = 0;
            double se2 = 0;
            for (TargetResult t : all) {
                RouterPoint p = t.routers().get(j);
                apps += p.applications() / all.size();
                v += p.value() / all.size();
                se2 += p.se() * p.se();
            }
            r.append(String.format(Locale.ROOT, "| router, penalty %s | %.2f | %.4f +- %.4f |%n",
                    first.routers().get(j).penalty(), apps, v, Math.sqrt(se2) / all.size()));
        }
        return r.append("\n").toString();
    }
}
