package painters.eval.analysis;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import painters.eval.io.Csv;
import painters.model.io.AtomicFiles;

/**
 * Writes an analysis as files a researcher opens directly: {@code cossim.csv} and {@code cossim.png}
 * (the paper's heatmap), {@code block_influence.csv}, {@code angular_distance.csv}, {@code cossim_examples.csv},
 * {@code token_similarity.csv}. Every file is written atomically.
 */
public final class AnalysisFiles {

    public static final String COSSIM_CSV = "cossim.csv";
    public static final String COSSIM_PNG = "cossim.png";
    public static final String BI_CSV = "block_influence.csv";
    public static final String ANGULAR_CSV = "angular_distance.csv";
    /** Each example's cosine matrix, upper triangle: one row per example, a column per pair {@code i-j} (i < j). */
    public static final String COSSIM_EXAMPLES_CSV = "cossim_examples.csv";
    /** Per state, how alike a text's tokens are ({@link TokenSimilarity}) with the texts' standard error. */
    public static final String TOKEN_SIMILARITY_CSV = "token_similarity.csv";
    /** Every file {@link #write} writes: an analysis folder lacking one is incomplete. */
    public static final List<String> FILES = List.of(COSSIM_CSV, COSSIM_PNG, BI_CSV, ANGULAR_CSV, COSSIM_EXAMPLES_CSV,
            TOKEN_SIMILARITY_CSV);

    private AnalysisFiles() {}

    public static void write(Path dir, StateAnalysis.Result r, String title) throws IOException {
        AtomicFiles.writeString(dir.resolve(COSSIM_CSV), matrixCsv(r.labels(), r.cosine()));
        AtomicFiles.write(dir.resolve(COSSIM_PNG), heatmapPng(r.labels(), r.cosine(), title));
        Csv bi = Csv.withHeader("step", "from_state", "to_state", "block_influence");
        for (int i = 0; i < r.blockInfluence().length; i++) {
            bi.row(i, r.labels().get(i), r.labels().get(i + 1), Csv.fixed(r.blockInfluence()[i], 6));
        }
        AtomicFiles.writeString(dir.resolve(BI_CSV), bi.text());
        Csv ang = Csv.withHeader("from_state", "n", "to_state", "angular_distance", "token");
        int n = r.labels().size();
        for (int l = 0; l < n; l++) {
            for (int k = 1; l + k < n; k++) {
                ang.row(r.labels().get(l), k, r.labels().get(l + k), Csv.fixed(r.angular()[l][k], 6),
                        r.token().name().toLowerCase(Locale.ROOT));
            }
        }
        AtomicFiles.writeString(dir.resolve(ANGULAR_CSV), ang.text());
        AtomicFiles.writeString(dir.resolve(COSSIM_EXAMPLES_CSV), examplesCsv(r.labels(), r.cosineExamples()));
        Csv sim = Csv.withHeader("state", "token_similarity", "se", "examples");
        TokenSimilarity.Summary ts = r.tokenSimilarity();
        for (int i = 0; i < n; i++) {
            sim.row(r.labels().get(i), Csv.fixed(ts.mean()[i], 6), Csv.fixed(ts.se()[i], 6), ts.examples());
        }
        AtomicFiles.writeString(dir.resolve(TOKEN_SIMILARITY_CSV), sim.text());
    }

    /** Per-example matrices as {@link #COSSIM_EXAMPLES_CSV} writes them. */
    public static String examplesCsv(List<String> labels, List<double[][]> examples) {
        int n = labels.size();
        List<Object> header = new ArrayList<>();
        header.add("example");
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                header.add(labels.get(i) + "-" + labels.get(j));
            }
        }
        Csv csv = Csv.withHeader(header.toArray());
        for (int e = 0; e < examples.size(); e++) {
            List<Object> row = new ArrayList<>();
            row.add(e);
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    row.add(Csv.fixed(examples.get(e)[i][j], 6));
                }
            }
            csv.row(row);
        }
        return csv.text();
    }

    /**
     * Reads {@link #examplesCsv} back into n x n matrices (diagonal 1, symmetric); an error names the file and line.
     */
    public static List<double[][]> readExamples(Path file) throws IOException {
        List<double[][]> out = new ArrayList<>();
        try (CSVParser p = CSVFormat.DEFAULT.builder().setHeader()
                .setSkipHeaderRecord(true).build().parse(Files.newBufferedReader(file))) {
            int pairs = p.getHeaderNames().size() - 1;
            int n = (int) Math.round((1 + Math.sqrt(1 + 8.0 * pairs)) / 2);
            if (n * (n - 1) / 2 != pairs) {
                throw new IOException(file + ":1: " + pairs + " pair columns is not n(n-1)/2 for any n");
            }
            for (CSVRecord r : p) {
                if (r.size() != pairs + 1) {
                    throw new IOException(file + ":" + (r.getRecordNumber() + 1) + ": " + r.size() + " fields, expected "
                            + (pairs + 1));
                }
                double[][] m = new double[n][n];
                int k = 1;
                for (int i = 0; i < n; i++) {
                    m[i][i] = 1;
                    for (int j = i + 1; j < n; j++) {
                        try {
                            m[i][j] = Double.parseDouble(r.get(k++));
                        } catch (NumberFormatException e) {
                            throw new IOException(file + ":" + (r.getRecordNumber() + 1) + ": not a number: "
                                    + r.get(k - 1), e);
                        }
                        m[j][i] = m[i][j];
                    }
                }
                out.add(m);
            }
        }
        return out;
    }

    /** A square matrix as CSV with a header row and a label column. */
    public static String matrixCsv(List<String> labels, double[][] m) {
        List<Object> header = new ArrayList<>();
        header.add("state");
        header.addAll(labels);
        Csv csv = Csv.withHeader(header.toArray());
        for (int i = 0; i < m.length; i++) {
            List<Object> row = new ArrayList<>();
            row.add(labels.get(i));
            for (double v : m[i]) {
                row.add(Csv.fixed(v, 6));
            }
            csv.row(row);
        }
        return csv.text();
    }

    /** The paper's cosine-similarity heatmap: state i on both axes, 0 top-left, values printed in cells. */
    public static byte[] heatmapPng(List<String> labels, double[][] m, String title) throws IOException {
        int n = labels.size();
        HeatMapChart chart = new HeatMapChartBuilder().width(160 + 56 * n).height(120 + 48 * n).title(title)
                .xAxisTitle("hidden state (entering step; last = final)").yAxisTitle("hidden state").build();
        chart.getStyler().setShowValue(n <= 26);
        chart.getStyler().setHeatMapValueDecimalPattern("0.00");
        chart.getStyler().setMin(Math.min(0, Math.floor(min(m) * 10) / 10));   // a round legend: -0.2, not -0.1539...
        chart.getStyler().setMax(1.0);
        chart.getStyler().setRangeColors(new Color[] {new Color(0x2c, 0x7b, 0xb6), new Color(0xff, 0xff, 0xbf),
                new Color(0xd7, 0x19, 0x1c)});
        chart.getStyler().setPlotContentSize(1.0);
        chart.getStyler().setLegendVisible(true);
        List<Number[]> cells = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                // y runs bottom-up in XChart: put state 0 at the top like the paper
                cells.add(new Number[] {j, n - 1 - i, m[i][j]});
            }
        }
        List<String> ys = new ArrayList<>(labels);
        Collections.reverse(ys);
        chart.addSeries("cosine similarity", labels, ys, cells);
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    private static double min(double[][] m) {
        double v = Double.POSITIVE_INFINITY;
        for (double[] row : m) {
            for (double x : row) {
                v = Math.min(v, x);
            }
        }
        return v;
    }
}
