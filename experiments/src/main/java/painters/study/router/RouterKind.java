package painters.study.router;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import painters.eval.route.PlanOutcomes;
import painters.eval.route.RouteData;
import painters.eval.route.Router;
import painters.model.UserInputException;
import painters.model.family.LoadedModel;
import painters.model.plan.LayerPlan;
import painters.results.Provenance;
import painters.results.ResultRow;
import painters.results.Results;
import painters.results.ResultsStore;
import painters.study.Cell;
import painters.study.StudyCells;
import painters.study.StudyKind;
import painters.study.StudySpec;
import painters.study.Unit;
import painters.subject.RouteRequest;
import painters.subject.Subject;

/**
 * Learned routers over plans of the frozen model (study key {@code router}): per target (an encoder's task, a
 * decoder's corpus) the subject gives every plan's cost on each training input and outcome on each scored input
 * ({@link Subject#routing}); for each compute penalty a {@link Router} is trained on the costs plus the penalty
 * times each plan's block applications, then routes the scored inputs. Stored per target: every static plan's
 * score; per penalty the routed score, its expected block applications and depth, the share of inputs on each
 * plan, and two paired comparisons on the same inputs: against the best static plan with no more block
 * applications than the router's expected count rounded up, and against the plans drawn at random in the router's
 * proportions (exactly the same expected compute). One unit per target; a resumed study computes the missing ones.
 */
final class RouterKind implements StudyKind {

    private static final Logger log = LoggerFactory.getLogger(RouterKind.class);
    static final String STATIC = "static";
    static final String ROUTER = "router";
    static final String ORACLE = "oracle";

    private final StudySpec spec;
    private final Subject subject;
    private final RouterSettings st;
    private final Provenance prov = Provenance.current();

    /** One target's routers, at every penalty. */
    record Target(String target) implements Unit {
        @Override
        public List<String> keys() {
            return List.of("router|" + target);
        }

        @Override
        public String label() {
            return "router " + target;
        }
    }

    RouterKind(StudySpec spec, Subject subject) {
        this.spec = spec;
        this.subject = subject;
        this.st = spec.settings(RouterSettings.class);
    }

    @Override
    public String name() {
        return "router";
    }

    /**
     * The plans chosen among: the settings' plans, else the plans of the study's grid (the full model, its variants at
     * its splits with their seeds, its extra plans; {@link StudyCells}), each computation once.
     */
    List<LayerPlan> plans() {
        int t = subject.model().numLayers();
        List<LayerPlan> out = new ArrayList<>();
        if (!st.plans().isEmpty()) {
            for (String p : st.plans()) {
                try {
                    out.add(LayerPlan.parse(p, t));
                } catch (IllegalArgumentException e) {
                    throw new UserInputException("router.plans: \"" + p + "\": " + e.getMessage(), e);
                }
            }
            return out;
        }
        Set<String> seen = new HashSet<>();
        for (Cell c : StudyCells.of(spec, t)) {
            if (seen.add(c.plan().computationKey())) {
                out.add(c.plan());
            }
        }
        return out;
    }

    RouteRequest request() {
        List<LayerPlan> plans = plans();
        int prefix = st.prefix() > 0 ? st.prefix()
                : plans.stream().mapToInt(LayerPlan::identityPrefix).min().orElse(0);
        return new RouteRequest(plans, prefix, st.folds(), st.context(), st.corpus(), st.heldOut(),
                spec.headSeeds().get(0));
    }

    @Override
    public Units units(ResultsStore store) throws IOException {
        Set<String> done = new HashSet<>();
        for (ResultRow r : Results.read(store.file())) {
            done.add(r.cell());
        }
        List<Unit> todo = new ArrayList<>();
        List<String> targets = subject.routeTargets(request());
        for (String t : targets) {
            Target u = new Target(t);
            if (!done.contains(u.keys().get(0))) {
                todo.add(u);
            }
        }
        return StudyKind.listed(todo, targets.size(), targets.size() - todo.size());
    }

    @Override
    public void prepare(Path dir, List<? extends Unit> units) {
    }

    @Override
    public Worker worker() {
        return (unit, sink) -> {
            Target t = (Target) unit;
            String key = t.keys().get(0);
            if (sink.isDone(key)) {
                return;
            }
            RouteData d = subject.routing(t.target(), request());
            sink.store(key, rows(d), t.label());
        };
    }

    /** A routed choice at one penalty and what it is compared with. */
    record Routed(double penalty, int[] choice, PlanOutcomes.Estimate score, PlanOutcomes.Estimate applications,
                  PlanOutcomes.Estimate depth, double[] shares, int bestStatic, PlanOutcomes.Estimate gainStatic,
                  int bestBelow, PlanOutcomes.Estimate gainBelow, PlanOutcomes.Estimate gainMixture) {}

    /** Trains the router at {@code penalty} and scores its choice on the scored inputs. */
    static Routed route(RouteData d, double penalty, Router.Fit fit) {
        int k = d.plans().size();
        double[] apps = d.plans().stream().mapToDouble(LayerPlan::applications).toArray();
        double[] depth = d.plans().stream().mapToDouble(LayerPlan::depth).toArray();
        double[][] cost = new double[d.trainCosts().length][k];
        for (int i = 0; i < cost.length; i++) {
            for (int c = 0; c < k; c++) {
                cost[i][c] = d.trainCosts()[i][c] + penalty * apps[c];
            }
        }
        int[] choice = Router.fit(d.trainFeatures(), cost, fit).route(d.testFeatures());
        PlanOutcomes o = d.test();
        PlanOutcomes.Estimate ea = PlanOutcomes.mean(choice, apps);
        int best = bestStatic(d.trainCosts(), apps, Math.ceil(ea.value() - 1e-9));
        int below = bestStatic(d.trainCosts(), apps, Math.floor(ea.value() + 1e-9));
        return new Routed(penalty, choice, o.score(choice), ea, PlanOutcomes.mean(choice, depth),
                PlanOutcomes.shares(choice, k), best, o.gain(choice, o.all(best)), below, o.gain(choice, o.all(below)),
                o.gainOverMixture(choice));
    }

    /**
     * The static plan with at most {@code maxApplications} block applications that has the lowest mean cost on the
     * router's training inputs: the comparator is chosen on training data, never on the scored inputs it is then
     * compared on (picking the test-best plan would favour it by the winner's curse).
     */
    static int bestStatic(double[][] trainCosts, double[] apps, double maxApplications) {
        int best = -1;
        double bestCost = Double.POSITIVE_INFINITY;
        for (int c = 0; c < apps.length; c++) {
            if (apps[c] > maxApplications) {
                continue;
            }
            double cost = 0;
            for (double[] row : trainCosts) {
                cost += row[c];
            }
            if (best < 0 || cost < bestCost) {
                best = c;
                bestCost = cost;
            }
        }
        return best;
    }

    List<ResultRow> rows(RouteData d) {
        LoadedModel m = subject.model();
        Provenance.Run run = prov.run(spec.trainMax(), spec.batchSize(), spec.maxLength());
        Router.Fit fit = new Router.Fit(st.steps(), st.initialStep(), st.l2());
        long seed = spec.headSeeds().get(0);
        int n = d.test().inputs();
        List<ResultRow> rows = new ArrayList<>();
        for (int c = 0; c < d.plans().size(); c++) {
            LayerPlan p = d.plans().get(c);
            PlanOutcomes.Estimate s = d.test().score(d.test().all(c));
            JsonObject params = new JsonObject();
            params.addProperty("role", STATIC);
            ResultRow.PlanPart part = new ResultRow.PlanPart(p.print(), STATIC, -1, -1, p.seed().orElse(-1), -1, -1,
                    p.depth(), p.applications());
            rows.add(row(m, part, d, d.metric(), s, true, d.protocol(), new ResultRow.Sweep(c, params, "test", s.value(),
                    Double.NaN, 0), seed, n, run));
        }
        int[] oracle = oracle(d.test(), d.plans());
        JsonObject oracleParams = new JsonObject();
        oracleParams.addProperty("role", ORACLE);
        ResultRow.PlanPart oraclePart = new ResultRow.PlanPart(ORACLE, ORACLE, -1, -1, -1, -1, -1, -1, -1);
        ResultRow.Sweep oracleSweep = new ResultRow.Sweep(-1, oracleParams, "test", d.test().score(oracle).value(),
                Double.NaN, 0);
        rows.add(row(m, oraclePart, d, d.metric(), d.test().score(oracle), true, "each scored input on the plan that "
                + "does best on it (ties: the fewest block applications): the most any router over these plans could "
                + "score", oracleSweep, seed, n, run));
        rows.add(row(m, oraclePart, d, "applications", PlanOutcomes.mean(oracle,
                d.plans().stream().mapToDouble(LayerPlan::applications).toArray()), false,
                "expected block applications per input", oracleSweep, seed, n, run));
        for (int j = 0; j < st.penalties().size(); j++) {
            double pen = st.penalties().get(j);
            Routed r = route(d, pen, fit);
            JsonObject params = new JsonObject();
            params.addProperty("role", ROUTER);
            params.addProperty("penalty", pen);
            params.addProperty("prefix", d.prefix());
            StringBuilder shares = new StringBuilder();
            for (int c = 0; c < d.plans().size(); c++) {
                shares.append(c == 0 ? "" : "; ").append(d.plans().get(c).print()).append('=')
                        .append(String.format(Locale.ROOT, "%.4f", r.shares()[c]));
            }
            params.addProperty("shares", shares.toString());
            params.addProperty("best_static", d.plans().get(r.bestStatic()).print());
            params.addProperty("best_static_below", d.plans().get(r.bestBelow()).print());
            String name = String.format(Locale.ROOT, "router penalty=%s", pen);
            ResultRow.PlanPart part = new ResultRow.PlanPart(name, ROUTER, -1, -1, -1, -1, -1, -1, -1);
            ResultRow.Sweep sweep = new ResultRow.Sweep(j, params, "test", r.score().value(), Double.NaN, st.steps());
            String proto = d.protocol() + String.format(Locale.ROOT, "; linear router on the state after blocks 0..%d, "
                    + "penalty %s nats per block application, exact expected-cost gradient, gradient descent with a "
                    + "line search (at most %d steps), l2 %s", d.prefix() - 1, pen, st.steps(), st.l2());
            rows.add(row(m, part, d, d.metric(), r.score(), true, proto, sweep, seed, n, run));
            rows.add(row(m, part, d, "applications", r.applications(), false, "expected block applications per input",
                    sweep, seed, n, run));
            rows.add(row(m, part, d, "depth", r.depth(), false, "expected sequential depth per input", sweep, seed, n, run));
            String unit = d.test().perplexity() ? "drop in log-perplexity, nats per token" : "difference in " + d.metric();
            rows.add(row(m, part, d, "gain_vs_static", r.gainStatic(), false, "paired on the scored inputs, " + unit
                    + ", vs the best static plan with at most ceil(expected applications) block applications: "
                    + d.plans().get(r.bestStatic()).print(), sweep, seed, n, run));
            rows.add(row(m, part, d, "gain_vs_static_below", r.gainBelow(), false, "paired on the scored inputs, " + unit
                    + ", vs the best static plan with at most floor(expected applications) block applications: "
                    + d.plans().get(r.bestBelow()).print(), sweep, seed, n, run));
            rows.add(row(m, part, d, "gain_vs_mixture", r.gainMixture(), false, "paired on the scored inputs, " + unit
                    + ", vs the plans drawn at random in the router's proportions (expectation computed exactly)", sweep,
                    seed, n, run));
            log.info("{}: router at penalty {}: {} {} +- {} at {} +- {} block applications (best static {}: gain {} +- {})",
                    d.target(), pen, d.metric(), f4(r.score().value()), f4(r.score().stderr()), f4(r.applications().value()),
                    f4(r.applications().stderr()), d.plans().get(r.bestStatic()).print(), f4(r.gainStatic().value()),
                    f4(r.gainStatic().stderr()));
        }
        return rows;
    }

    /** Each scored input's best plan by its outcome (ties: fewest block applications, then the first). */
    static int[] oracle(PlanOutcomes o, List<LayerPlan> plans) {
        int[] out = new int[o.inputs()];
        for (int i = 0; i < out.length; i++) {
            int best = 0;
            for (int c = 1; c < plans.size(); c++) {
                double a = o.values()[i][c];
                double b = o.values()[i][best];
                boolean better = o.perplexity() ? a < b : a > b;
                if (better || a == b && plans.get(c).applications() < plans.get(best).applications()) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    private static String f4(double x) {
        return String.format(Locale.ROOT, "%.4f", x);
    }

    private ResultRow row(LoadedModel m, ResultRow.PlanPart part, RouteData d, String metric, PlanOutcomes.Estimate e,
                          boolean primary, String protocol, ResultRow.Sweep sweep, long seed, int n, Provenance.Run run) {
        return new ResultRow(null, spec.name(), m.id(), m.sha256(), part, new ResultRow.Score(d.target(), d.version(),
                d.dataChecksum(), seed, metric, e.value(), primary, primary ? d.chance() : Double.NaN, n, protocol, 0,
                false, e.stderr()), null, sweep, run);
    }

    @Override
    public void outputs(Path dir) throws IOException {
        RouterOutputs.write(dir, spec);
    }
}
