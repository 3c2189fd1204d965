package painters.regimes;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import painters.eval.analysis.AnalysisFiles;
import painters.eval.io.Csv;
import painters.eval.metric.Metric;
import painters.model.io.AtomicFiles;
import painters.model.plan.Variant;
import painters.study.figures.Charts;
import painters.training.CurvePoint;

/**
 * A regimes study's side-by-side outputs: {@code summary/models.csv} (each trained model: regime, seed, size, tokens,
 * final held-out perplexity with its error, throughput), {@code summary/regimes.csv} (every model's normalised score
 * per plan, {@link #normalised}, with its regime and seed), the mean over seeds per regime with the seeds' standard
 * error in the report, the paper's claims with each model's verdict (from its grid's report), and
 * {@code figures/regimes.png}: each regime's normalised score vs affected layers (one y scale for all) and its first
 * seed's cos-sim heatmap, a row per regime.
 */
final class RegimesOutputs {

    private RegimesOutputs() {}

    static void write(Path dir, RegimesSpec s, List<RegimesStudy.Model> models) throws IOException {
        Files.createDirectories(dir.resolve("summary"));
        Files.createDirectories(dir.resolve("figures"));
        Csv m = Csv.withHeader("regime", "seed", "parameters", "steps", "tokens", "held_out_perplexity",
                "held_out_perplexity_se", "unigram_perplexity", "tokens_per_second", "folder", "grid");
        for (RegimesStudy.Model x : models) {
            CurvePoint last = x.curve().get(x.curve().size() - 1);
            m.row(x.regime(), x.seed(), x.parameters(), last.step(), last.tokens(),
                    Csv.fixed(last.scores().getOrDefault(Metric.PERPLEXITY, Double.NaN), 4),
                    Csv.fixed(last.stderr().getOrDefault(Metric.PERPLEXITY, Double.NaN), 4),
                    Csv.fixed(Math.exp(-x.unigramLogLikelihood()), 4), Csv.fixed(x.tokensPerSecond(), 1),
                    dir.relativize(x.folder()), dir.relativize(x.grid()));
        }
        AtomicFiles.writeString(dir.resolve("summary/models.csv"), m.text());
        List<List<String>> rows = planRows(models);
        AtomicFiles.writeString(dir.resolve("summary/regimes.csv"), csv(rows));
        AtomicFiles.writeString(dir.resolve("summary/contrasts.csv"), RegimesContrasts.csv(s.regimes(), rows));
        figure(dir.resolve("figures/regimes.png"), s, models, means(rows));
        AtomicFiles.writeString(dir.resolve("report.md"), report(dir, s, models, rows));
    }

    /** The columns of {@code summary/regimes.csv}. */
    static final List<String> HEADER = List.of("regime", "seed", "variant", "split", "affected", "normalised", "tasks");

    /** Every model's normalised score per plan ({@link #normalised} of its grid's {@code summary/cells.csv}). */
    static List<List<String>> planRows(List<RegimesStudy.Model> models) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        for (RegimesStudy.Model x : models) {
            Path cells = x.grid().resolve("summary/cells.csv");
            if (Files.isRegularFile(cells)) {
                normalised(Files.readString(cells)).forEach((key, v) -> {
                    List<String> row = new ArrayList<>(List.of(x.regime(), Long.toString(x.seed())));
                    row.addAll(List.of(key.split(" \\| ")));
                    row.add(Csv.fixed(v[0], 6));
                    row.add(Integer.toString((int) v[1]));
                    rows.add(row);
                });
            }
        }
        return rows;
    }

    static String csv(List<List<String>> rows) {
        Csv all = Csv.withHeader(HEADER.toArray());
        rows.forEach(r -> all.row(r.toArray()));
        return all.text();
    }

    /** Plans ({@code variant | split | affected}) by the paper's order of variants, then by affected layers. */
    static final Comparator<String> PLAN_ORDER = Comparator.<String>comparingInt(k -> variantRank(k.split(" \\| ")[0]))
            .thenComparing(k -> k.split(" \\| ")[0]).thenComparingInt(k -> Integer.parseInt(k.split(" \\| ")[2]))
            .thenComparing(k -> k);

    private static int variantRank(String id) {
        return Arrays.stream(Variant.values()).filter(v -> v.id().equals(id)).mapToInt(Variant::ordinal).findFirst()
                .orElse(Integer.MAX_VALUE);
    }

    /**
     * One model's normalised score per plan ({@code variant | split | affected}) from its grid's {@code cells.csv}: per
     * task the mean over plan and head seeds of the cell's normalised score (for a perplexity, which has no chance
     * level, the grid's log-perplexity ratio {@code ln ppl(full) / ln ppl(plan)}: 1 = the model's own full depth,
     * falling towards 0 as the plan's perplexity grows); then the median over tasks. {@code {score, tasks}}, in the
     * order of {@link #PLAN_ORDER}.
     */
    static Map<String, double[]> normalised(String cellsCsv) throws IOException {
        Map<String, Map<String, List<Double>>> by = new LinkedHashMap<>();
        for (CSVRecord r : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(cellsCsv)).getRecords()) {
            if (r.get("variant").equals("full")) {
                continue;
            }
            double n = Double.parseDouble(r.get("normalised"));
            String key = r.get("variant") + " | " + r.get("split") + " | " + r.get("affected");
            by.computeIfAbsent(key, k -> new LinkedHashMap<>()).computeIfAbsent(r.get("task"), k -> new ArrayList<>())
                    .add(n);
        }
        Map<String, double[]> out = new TreeMap<>(PLAN_ORDER);
        by.forEach((key, tasks) -> {
            double[] means = tasks.values().stream().mapToDouble(l -> l.stream().mapToDouble(Double::doubleValue)
                    .average().orElse(Double.NaN)).sorted().toArray();
            int k = means.length;
            double median = k % 2 == 1 ? means[k / 2] : (means[k / 2 - 1] + means[k / 2]) / 2;
            out.put(key, new double[] {median, k});
        });
        return out;
    }

    /** Mean and the seeds' standard error (NaN with one seed) of each regime's normalised median per variant/split. */
    static Map<String, Map<String, double[]>> means(List<List<String>> rows) {
        int variant = HEADER.indexOf("variant");
        int split = HEADER.indexOf("split");
        int affected = HEADER.indexOf("affected");
        int value = HEADER.indexOf("normalised");
        Map<String, Map<String, List<Double>>> by = new LinkedHashMap<>();
        for (List<String> r : rows) {
            String key = r.get(variant) + " | " + r.get(split) + " | " + r.get(affected);
            by.computeIfAbsent(key, k -> new LinkedHashMap<>()).computeIfAbsent(r.get(0), k -> new ArrayList<>())
                    .add(Double.parseDouble(r.get(value)));
        }
        Map<String, Map<String, double[]>> out = new TreeMap<>(PLAN_ORDER);
        by.forEach((key, regimes) -> {
            Map<String, double[]> o = new LinkedHashMap<>();
            regimes.forEach((regime, vs) -> {
                double mean = vs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
                double ss = vs.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
                double se = vs.size() > 1 ? Math.sqrt(ss / (vs.size() - 1) / vs.size()) : Double.NaN;
                o.put(regime, new double[] {mean, se, vs.size()});
            });
            out.put(key, o);
        });
        return out;
    }

    static String report(Path dir, RegimesSpec s, List<RegimesStudy.Model> models, List<List<String>> rows) throws IOException {
        StringBuilder sb = new StringBuilder("# Regimes study " + s.name() + "\n\n");
        sb.append(String.format(Locale.ROOT, "Decoders pre-trained here from `%s` on %s under the regimes %s, "
                        + "seeds %s (each chooses the initialisation and the data order, the same for every regime), "
                        + "%d steps of %d windows of %d "
                        + "tokens (AdamW, lr %.1e, cosine decay, weight decay %.2f), held out: the text's last %.0f%% of "
                        + "windows; then each model through the frozen grid study (`grids/`). Every number comes from "
                        + "`summary/` and the grids' results files.%n%n", s.config(), s.text(), s.regimes(), s.seeds(),
                s.steps(), s.batchSize(), s.maxLength(), s.learningRate(), s.weightDecay(), 100 * s.heldOut()));
        sb.append("## The trained models\n\nHeld-out perplexity per token after the last step; the unigram line is what "
                + "the training text's token frequencies score on the same held-out tokens (add-one counts): a model at "
                + "it has learned nothing of the context. Tokens/s: wall time of the whole run, evaluations included, on "
                + "the machine as it was shared.\n\n| regime | seed | parameters | tokens | held-out perplexity +- se | "
                + "unigram line | tokens/s |\n|---|---|---|---|---|---|---|\n");
        for (RegimesStudy.Model x : models) {
            CurvePoint last = x.curve().get(x.curve().size() - 1);
            sb.append(String.format(Locale.ROOT, "| %s | %d | %,d | %,d | %.3f +- %.3f | %.3f | %.0f |%n", x.regime(),
                    x.seed(), x.parameters(), last.tokens(), last.scores().getOrDefault(Metric.PERPLEXITY, Double.NaN),
                    last.stderr().getOrDefault(Metric.PERPLEXITY, Double.NaN), Math.exp(-x.unigramLogLikelihood()),
                    x.tokensPerSecond()));
        }
        sb.append(tokenSimilarity(models));
        if (!rows.isEmpty()) {
            sb.append(sideBySide(s.regimes(), rows));
            sb.append(RegimesContrasts.section(s.regimes(), rows));
        }
        sb.append("\n## The paper's claims, per model\n\n| # | claim |");
        models.forEach(x -> sb.append(" ").append(x.regime()).append(" s").append(x.seed()).append(" |"));
        sb.append("\n|---|---|").append("---|".repeat(models.size())).append("\n");
        Map<String, String> claims = new LinkedHashMap<>();
        List<Map<String, String>> verdicts = new ArrayList<>();
        for (RegimesStudy.Model x : models) {
            Map<String, String> v = new LinkedHashMap<>();
            Path report = x.grid().resolve("report.md");
            if (Files.isRegularFile(report)) {
                boolean in = false;
                for (String line : Files.readAllLines(report)) {
                    if (line.startsWith("## ")) {
                        in = line.startsWith("## The paper's claims");
                        continue;
                    }
                    String[] c = line.split("(?<!\\\\)\\|");             // cells: unescaped pipes
                    if (in && c.length >= 4 && !c[1].strip().equals("#") && !c[1].strip().startsWith("---")) {
                        claims.putIfAbsent(c[1].strip(), c[2].strip());
                        v.put(c[1].strip(), c[3].strip());
                    }
                }
            }
            verdicts.add(v);
        }
        claims.forEach((n, text) -> {
            sb.append("| ").append(n).append(" | ").append(text).append(" |");
            verdicts.forEach(v -> sb.append(" ").append(v.getOrDefault(n, "-")).append(" |"));
            sb.append("\n");
        });
        sb.append("\n![each regime's normalised score vs affected layers and cos-sim heatmap](figures/regimes.png)\n");
        return sb.toString();
    }

    /**
     * The report's token-similarity table: per model, its untrained and its trained weights (a row each) and per state (a
     * column), the mean cosine between two tokens of a text with the texts' standard error, from
     * {@code models/*}/{@value RegimesStudy#INIT_ANALYSIS} and its grid's {@code analysis/token_similarity.csv}; rows
     * without a file are left out, and without any the section is empty.
     */
    static String tokenSimilarity(List<RegimesStudy.Model> models) throws IOException {
        StringBuilder body = new StringBuilder();
        List<String> states = null;
        for (RegimesStudy.Model x : models) {
            for (String weights : List.of("untrained", "trained")) {
                Path f = (weights.equals("trained") ? x.grid().resolve("analysis")
                        : x.folder().resolve(RegimesStudy.INIT_ANALYSIS)).resolve(AnalysisFiles.TOKEN_SIMILARITY_CSV);
                if (!Files.isRegularFile(f)) {
                    continue;
                }
                List<CSVRecord> recs = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
                        .parse(new StringReader(Files.readString(f))).getRecords();
                List<String> here = recs.stream().map(r -> r.get("state")).toList();
                if (states == null) {
                    states = here;
                } else if (!states.equals(here)) {
                    throw new IOException(f + ": states " + here + ", another model's are " + states);
                }
                body.append("| ").append(x.regime()).append(" | ").append(x.seed()).append(" | ").append(weights)
                        .append(" |");
                for (CSVRecord r : recs) {
                    body.append(String.format(Locale.ROOT, " %.3f +- %.3f |",
                            Double.parseDouble(r.get("token_similarity")), Double.parseDouble(r.get("se"))));
                }
                body.append("\n");
            }
        }
        if (states == null) {
            return "";
        }
        return "\n## How alike a text's tokens are\n\nPer state of the full model (entering each block; `out` is the "
                + "final one), the mean cosine similarity between the states of two tokens of one text, mean over the "
                + "grid's analysis texts `+-` their standard error, for each model's untrained weights "
                + "(`models/*/init-analysis/`) and its trained ones (`grids/*/analysis/`). 1 means every position holds "
                + "the same state (the rank collapse of attention without residual connections, Dong et al. 2021): a "
                + "model there can predict only one distribution whatever the context.\n\n"
                + "| regime | seed | weights | " + String.join(" | ", states) + " |\n|---|---|---|"
                + "---|".repeat(states.size()) + "\n" + body;
    }

    /**
     * The report's side-by-side table: per plan, each regime's mean over seeds of the normalised score with the seeds'
     * standard error.
     */
    static String sideBySide(List<String> regimes, List<List<String>> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("\n## Normalised score per plan, regimes side by side\n\nPer variant and split, the median over "
                + "tasks of each task's normalised score (for a perplexity, which has no chance level: the "
                + "log-perplexity ratio ln ppl(full) / ln ppl(plan), 1 = the model's own full depth, towards 0 as "
                + "the plan's perplexity grows), mean over the seeds `+-` the seeds' standard error (one seed: "
                + "none); `summary/regimes.csv` has every model's.\n\n| variant | s | affected | ")
                .append(String.join(" | ", regimes)).append(" |\n|---|---|---|")
                .append("---|".repeat(regimes.size())).append("\n");
        means(rows).forEach((key, byRegime) -> {
            sb.append("| ").append(key);
            for (String r : regimes) {
                double[] v = byRegime.get(r);
                sb.append(" | ").append(v == null ? "-" : Double.isNaN(v[1])
                        ? String.format(Locale.ROOT, "%.3f", v[0])
                        : String.format(Locale.ROOT, "%.3f +- %.3f", v[0], v[1]));
            }
            sb.append(" |\n");
        });
        return sb.toString();
    }

    /**
     * A row per regime: its normalised score per plan against the affected layers (a series per variant, the mean over
     * seeds with the seeds' standard error as bars) and its first seed's cos-sim heatmap, each 640 pixels wide.
     */
    static void figure(Path file, RegimesSpec s, List<RegimesStudy.Model> models, Map<String, Map<String, double[]>> means)
            throws IOException {
        int w = 640;
        double lo = 1;
        double hi = 1;
        for (Map<String, double[]> byRegime : means.values()) {
            for (double[] v : byRegime.values()) {
                double se = Double.isNaN(v[1]) ? 0 : v[1];
                lo = Math.min(lo, v[0] - se);
                hi = Math.max(hi, v[0] + se);
            }
        }
        double pad = 0.05 * Math.max(hi - lo, 0.01);
        List<BufferedImage[]> rows = new ArrayList<>();
        for (String regime : s.regimes()) {
            XYChart c = new XYChartBuilder().width(w).height(420).title(regime + ": normalised score (bars: seeds' se)")
                    .xAxisTitle("number of affected layers |M|").yAxisTitle("normalised (1 = full model)").build();
            Charts.style(c);
            c.getStyler().setYAxisMin(lo - pad);                 // one scale for every regime: side by side compares
            c.getStyler().setYAxisMax(hi + pad);
            Map<String, List<double[]>> byVariant = new LinkedHashMap<>();
            means.forEach((key, byRegime) -> {
                double[] v = byRegime.get(regime);
                String[] k = key.split(" \\| ");
                if (v != null) {
                    byVariant.computeIfAbsent(k[0], x -> new ArrayList<>()).add(new double[] {Double.parseDouble(k[2]),
                            v[0], Double.isNaN(v[1]) ? 0 : v[1]});
                }
            });
            byVariant.forEach((variant, pts) -> {
                pts.sort((x, y) -> Double.compare(x[0], y[0]));
                XYSeries series = c.addSeries(variant, pts.stream().mapToDouble(p -> p[0]).toArray(),
                        pts.stream().mapToDouble(p -> p[1]).toArray(), pts.stream().mapToDouble(p -> p[2]).toArray());
                series.setLineColor(Charts.COLORS.getOrDefault(variant, Color.DARK_GRAY));
                series.setMarkerColor(Charts.COLORS.getOrDefault(variant, Color.DARK_GRAY));
                series.setMarker(SeriesMarkers.CIRCLE);
            });
            BufferedImage[] r = {byVariant.isEmpty() ? null : BitmapEncoder.getBufferedImage(c), null};
            Path cossim = models.stream().filter(m -> m.regime().equals(regime)).findFirst()
                    .map(m -> m.grid().resolve("analysis/cossim.png")).orElse(null);
            if (cossim != null && Files.isRegularFile(cossim)) {
                r[1] = ImageIO.read(cossim.toFile());
            }
            rows.add(r);
        }
        int height = 0;
        int[] heights = new int[rows.size()];
        for (int k = 0; k < rows.size(); k++) {
            for (BufferedImage img : rows.get(k)) {
                if (img != null) {
                    heights[k] = Math.max(heights[k], img.getHeight() * w / img.getWidth());
                }
            }
            height += heights[k] + 30;
        }
        BufferedImage out = new BufferedImage(2 * w, Math.max(height, 1), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        int y = 0;
        for (int k = 0; k < rows.size(); k++) {
            g.setColor(Color.BLACK);
            g.drawString(s.regimes().get(k), 10, y + 20);
            for (int i = 0; i < 2; i++) {
                BufferedImage img = rows.get(k)[i];
                if (img != null) {
                    g.drawImage(img, i * w, y + 30, w, img.getHeight() * w / img.getWidth(), null);
                }
            }
            y += heights[k] + 30;
        }
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(out, "png", bytes);
        AtomicFiles.write(file, bytes.toByteArray());
    }
}
