package painters.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.junit.jupiter.api.Test;
import painters.eval.metric.ItemScores;
import painters.eval.metric.Metric;
import painters.eval.metric.PairedBootstrap;
import painters.eval.metric.Replicates;
import painters.results.ItemFiles;
import painters.results.ResultRow;
import painters.results.Results;
import painters.results.ResultsStore;
import painters.study.grid.StudyOutputs;
import painters.study.grid.StudyReport;
import painters.study.grid.StudyTable;

/**
 * Numbers the README publishes come from a stored study: {@code results/published/<study>/} holds its results file
 * (with provenance), summaries, report and identity. The summaries must follow from the stored rows with today's
 * code, and the README's table and figures must equal the published report's.
 */
class PublishedResultsTest {

    static final Path ROOT = Path.of(System.getProperty("painters.root", ".."));
    static final Path DEFAULT = ROOT.resolve("results/published/default");

    @Test
    void theDefaultStudysSummariesFollowFromItsStoredRows() throws Exception {
        StudyTable t = StudyTable.load(DEFAULT.resolve(Results.FILE));
        assertEquals(190, ResultsStore.readRows(DEFAULT.resolve(Results.FILE)).size(),
                "the published study's 190 rows");
        assertEquals(Files.readString(DEFAULT.resolve("summary/variants.csv")), StudyOutputs.variantsCsv(t));
        assertEquals(Files.readString(DEFAULT.resolve("summary/plans.csv")), StudyOutputs.plansCsv(t));
        assertEquals(Files.readString(DEFAULT.resolve("summary/cells.csv")), StudyOutputs.cellsCsv(t));
        // the report's table, paired errors included, follows from the stored rows and per-item outputs
        assertTrue(t.entries().stream().filter(e -> !Double.isNaN(e.normalised())).allMatch(StudyTable.Entry::paired),
                "every normalised score is paired (items/<task>.jsonl.gz stored)");
        assertEquals(table(Files.readString(DEFAULT.resolve("report.md")), "| affected layers |"),
                StudyReport.table(t).lines().map(String::strip).toList());
    }

    @Test
    void theReadmesDefaultStudyNumbersAreThePublishedReports() throws Exception {
        String readme = section(Files.readString(ROOT.resolve("README.md")), "## What the default study finds");
        String report = Files.readString(DEFAULT.resolve("report.md"));
        List<String> mismatches = compare(readme, report);
        assertEquals(List.of(), mismatches);
    }

    /** Negative control: one changed digit in the README's table, or a changed full-model score, is caught. */
    @Test
    void aChangedNumberIsCaught() throws Exception {
        String readme = section(Files.readString(ROOT.resolve("README.md")), "## What the default study finds");
        String report = Files.readString(DEFAULT.resolve("report.md"));
        assertFalse(compare(readme.replaceFirst("0\\.967 \\+- 0\\.032", "0.968 +- 0.032"), report).isEmpty());
        assertFalse(compare(readme.replaceFirst("wn-lexname 0\\.8267", "wn-lexname 0.8277"), report).isEmpty());
    }

    static final Path RECOVERY = ROOT.resolve("results/published/stories260k-recovery");

    @Test
    void theReadmesRecoveryTableIsThePublishedSummarys() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        List<String> rows = table(readme, "| plan | s, \\|M\\| | frozen | `all` (trainable) | vs control |");
        assertEquals(11, rows.size(), "header, rule and 9 plans");
        String csv = Files.readString(RECOVERY.resolve("summary/recovery.csv"));
        assertEquals(List.of(), recoveryMismatches(rows, csv));
        // negative control: one changed digit is caught
        List<String> changed = new ArrayList<>(rows);
        changed.set(3, changed.get(3).replace("31.35 +- 0.22", "31.36 +- 0.22"));
        assertFalse(recoveryMismatches(changed, csv).isEmpty());
        List<String> changedSe = new ArrayList<>(rows);
        changedSe.set(3, changedSe.get(3).replace("0.799 +- 0.006", "0.799 +- 0.007"));
        assertFalse(changedSe.equals(rows), "the row shows 0.799 +- 0.006");
        assertFalse(recoveryMismatches(changedSe, csv).isEmpty());
    }

    /**
     * Each README row's plan (in backticks), frozen value, and per policy the recovered mean +- se and the gap closed
     * vs control +- se, against the published summary's held-out perplexity rows at the README's precision.
     */
    static List<String> recoveryMismatches(List<String> rows, String csv) throws IOException {
        var records = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(csv)).getRecords();
        List<String> out = new ArrayList<>();
        String[] policies = {"all", "lora:8:q,k,v,o,gate,up,down"};
        for (String row : rows.subList(2, rows.size())) {
            String[] c = row.split("\\|");
            Matcher plan = Pattern.compile("`([^`]+)`").matcher(c[1]);
            assertTrue(plan.find(), row);
            for (int k = 0; k < 2; k++) {
                String policy = policies[k];
                var rec = records.stream().filter(r -> r.get("task").equals("input.txt") && r.get("policy").equals(policy)
                        && r.get("plan").equals(plan.group(1))).findFirst().orElse(null);
                if (rec == null) {
                    out.add("no published row for " + plan.group(1) + " " + policy);
                    continue;
                }
                check(out, row, c[3], Double.parseDouble(rec.get("frozen")));
                Matcher m = Pattern.compile("([\\d,.]+) \\+- ([\\d,.]+)").matcher(c[4 + 2 * k]);
                assertTrue(m.find(), row);
                check(out, row, m.group(1), Double.parseDouble(rec.get("recovered")));
                check(out, row, m.group(2), Double.parseDouble(rec.get("recovered_se")));
                if (!c[5 + 2 * k].strip().equals("-")) {
                    Matcher g = Pattern.compile("(-?[\\d.]+) \\+- ([\\d.]+)").matcher(c[5 + 2 * k]);
                    assertTrue(g.find(), "vs control +- its error: " + row);
                    check(out, row, g.group(1), Double.parseDouble(rec.get("gap_closed_vs_control")));
                    check(out, row, g.group(2), Double.parseDouble(rec.get("gap_closed_vs_control_se")));
                }
            }
        }
        return out;
    }

    static final Path GLUE = ROOT.resolve("results/published/glue");
    static final Path GLUE_SEPARATE = ROOT.resolve("results/published/glue-separate");

    @Test
    void theGlueStudysReportFollowsFromItsStoredRows() throws Exception {
        reportFollowsFromRows(GLUE, 245);
    }

    @Test
    void theSeparateProtocolsReportFollowsFromItsStoredRows() throws Exception {
        reportFollowsFromRows(GLUE_SEPARATE, 98);
        assertTrue(Results.read(GLUE_SEPARATE.resolve(Results.FILE)).stream().filter(r -> r.score().primary())
                .allMatch(r -> r.score().protocol().contains("each text encoded alone")), "every row: each text alone");
    }

    /** The published study's cells, every normalised score paired, and its report's tables re-derived from its rows. */
    static void reportFollowsFromRows(Path study, int cells) throws Exception {
        StudyTable t = StudyTable.load(study.resolve(Results.FILE));
        assertEquals(cells, Results.read(study.resolve(Results.FILE)).stream()
                .map(ResultRow::cell).distinct().count(), "the published study's cells");
        String report = Files.readString(study.resolve("report.md"));
        assertTrue(t.entries().stream().filter(e -> !Double.isNaN(e.normalised())).allMatch(StudyTable.Entry::paired),
                "every normalised score is paired (items/<task>.jsonl.gz stored)");
        if (t.entries().stream().anyMatch(e -> !Double.isNaN(e.normalised()))) {
            assertEquals(table(report, "| affected layers |"), StudyReport.table(t).lines().map(String::strip).toList());
        } else {
            assertFalse(report.contains("| affected layers |"), "no table of NaNs where nothing is normalised");
        }
        for (String task : t.tasks()) {
            String raw = StudyReport.rawTable(t, task);
            assertEquals(table(report, raw.lines().findFirst().orElseThrow()), raw.lines().map(String::strip).toList(),
                    task);
        }
    }

    @Test
    void theReadmesGlueNumbersAreThePublishedReports() throws Exception {
        String readme = section(Files.readString(ROOT.resolve("README.md")), "## GLUE and STS-B");
        String joint = Files.readString(GLUE.resolve("report.md"));
        String separate = Files.readString(GLUE_SEPARATE.resolve("report.md"));
        assertEquals(List.of(), glueMismatches(readme, joint, separate));
        // negative controls: a changed digit in a full-model score (each protocol), in the normalised table, in the
        // STS-B table; a joint row read as separate
        assertFalse(glueMismatches(readme.replace("| 0.6691 +- 0.0226 |", "| 0.6692 +- 0.0226 |"), joint, separate)
                .isEmpty());
        assertFalse(glueMismatches(readme.replace("| mrpc | accuracy | separate | 0.7328 +- 0.0218 |",
                "| mrpc | accuracy | separate | 0.7328 +- 0.0219 |"), joint, separate).isEmpty());
        assertFalse(glueMismatches(readme.replace("| mrpc | accuracy | joint |", "| mrpc | accuracy | separate |"),
                joint, separate).isEmpty());
        assertFalse(glueMismatches(readme.replace("| 0.976 +- 0.014 |", "| 0.977 +- 0.014 |"), joint, separate)
                .isEmpty());
        assertFalse(glueMismatches(readme.replace("| 0.196 +- 0.026 |", "| 0.196 +- 0.025 |"), joint, separate)
                .isEmpty());
    }

    /**
     * The README's GLUE tables against the published reports: each full-model row (task, metric, pairs, score +- se,
     * chance, standard errors above chance) is a row of the full-model table of the report of its pair protocol (the
     * separate protocol's study for "separate", the GLUE study's otherwise), and the normalised and STS-B tables are
     * the GLUE study's, line by line.
     */
    static List<String> glueMismatches(String readme, String report, String separate) {
        List<String> out = new ArrayList<>();
        List<String> full = table(readme, "| task | metric | pairs |");
        assertTrue(full.size() >= 9, "the full-model table: " + full);
        for (String row : full.subList(2, full.size())) {
            String[] c = row.split("\\|");
            Matcher m = Pattern.compile("([-\\d.]+) \\+- ([\\d.]+)").matcher(c[4]);
            assertTrue(m.find(), row);
            String want = "| " + c[1].strip() + " | " + c[2].strip() + " | " + m.group(1) + " | " + m.group(2) + " | "
                    + c[5].strip() + " | " + c[6].strip() + " |";
            if (!(c[3].strip().equals("separate") ? separate : report).contains(want)) {
                out.add("full model: " + row + " is not the report's (" + want + ")");
            }
        }
        for (String header : List.of("| affected layers |", "| stsb spearman: affected layers |")) {
            List<String> a = table(readme, header);
            if (a.size() < 8 || !a.equals(table(report, header))) {
                out.add(header + " differs from the report's:\n" + String.join("\n", a));
            }
        }
        return out;
    }

    /**
     * The README's comparison of the two pair protocols: each task's full model under the joint protocol (the GLUE
     * study) and the separate one (its own study), both scored on the same dev items, so their difference is paired:
     * one bootstrap draw of the items per replicate applied to both studies' stored per-item outputs.
     */
    @Test
    void theReadmesProtocolComparisonIsPairedOnTheStoredItems() throws Exception {
        List<String> rows = table(section(Files.readString(ROOT.resolve("README.md")), "## GLUE and STS-B"),
                "| task | joint | separate | separate - joint, paired |");
        assertEquals(4, rows.size(), "header, rule, mrpc, rte");
        assertEquals(List.of(), protocolMismatches(rows));
        List<String> changed = new ArrayList<>(rows);
        changed.set(2, changed.get(2).replaceFirst("\\+- (\\d\\.\\d{3})\\d \\|$", "+- $19 |"));
        assertFalse(changed.equals(rows));
        assertFalse(protocolMismatches(changed).isEmpty(), "negative control: the paired error's last digit");
    }

    static List<String> protocolMismatches(List<String> rows) throws IOException {
        List<String> out = new ArrayList<>();
        for (String row : rows.subList(2, rows.size())) {
            String task = row.split("\\|")[1].strip();
            String cell = "full|s-1|seed-1|L-1|0-11|" + task + "|h0";
            List<JsonObject> joint = ItemFiles.read(GLUE, task).get(cell);
            List<JsonObject> separate = ItemFiles.read(GLUE_SEPARATE, task).get(cell);
            assertEquals(joint.size(), separate.size(), task + ": the same dev items");
            for (int i = 0; i < joint.size(); i++) {
                assertEquals(joint.get(i).get("gold"), separate.get(i).get("gold"), task + " item " + i);
            }
            int[][] draws = PairedBootstrap.draws(task, joint.size());
            Replicates a = PairedBootstrap.replicates(ItemScores.fromItems(joint), Metric.ACCURACY, draws);
            Replicates b = PairedBootstrap.replicates(ItemScores.fromItems(separate), Metric.ACCURACY, draws);
            Replicates d = b.minus(a);
            int[][] all = {ItemScores.all(joint.size())};
            double diff = PairedBootstrap.replicates(ItemScores.fromItems(separate), Metric.ACCURACY, all).values()[0]
                    - PairedBootstrap.replicates(ItemScores.fromItems(joint), Metric.ACCURACY, all).values()[0];
            String want = String.format(Locale.ROOT, "%+.4f +- %.4f", diff, d.se());
            if (!row.contains("| " + want + " |")) {
                out.add(row + ": the stored items give " + want);
            }
        }
        return out;
    }

    static final Path ROUTER = ROOT.resolve("results/published/router");

    @Test
    void theReadmesRouterTableIsThePublishedSummarys() throws Exception {
        List<String> rows = table(Files.readString(ROOT.resolve("README.md")), "| wn-lexname (n = 300) |");
        assertEquals(7, rows.size(), "header, rule, the static plans and 4 routers");
        String csv = Files.readString(ROUTER.resolve("summary/router.csv"));
        assertEquals(List.of(), routerMismatches(rows, csv));
        List<String> changed = new ArrayList<>(rows);
        changed.set(4, changed.get(4).replace("-0.0033 +- 0.0129", "-0.0033 +- 0.0139"));
        assertFalse(routerMismatches(changed, csv).isEmpty(), "negative control: one changed digit is caught");
        changed = new ArrayList<>(rows);
        changed.set(2, changed.get(2).replace("0.8300 /", "0.8310 /"));
        assertFalse(routerMismatches(changed, csv).isEmpty(), "negative control: a static plan's score");
    }

    /**
     * The static line (plans, applications, accuracies) and each router row (expected applications, accuracy, gain
     * over the best static plan of at most its compute and over the random mixture, each +- se) against the published
     * wn-lexname rows at the README's precision.
     */
    static List<String> routerMismatches(List<String> rows, String csv) throws IOException {
        var records = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(csv)).getRecords().stream().filter(r -> r.get("target").equals("wn-lexname"))
                .toList();
        List<String> out = new ArrayList<>();
        String[] st = rows.get(2).split("\\|");
        List<String> plans = new ArrayList<>();
        Matcher pm = Pattern.compile("`([^`]+)`").matcher(st[1]);
        while (pm.find()) {
            plans.add(pm.group(1));
        }
        String[] apps = st[2].split("/");
        String[] accs = st[3].replaceAll("\\(.*\\)", "").split("/");
        assertEquals(plans.size(), accs.length, rows.get(2));
        for (int i = 0; i < plans.size(); i++) {
            String plan = plans.get(i);
            var rec = records.stream().filter(r -> r.get("kind").equals("static") && r.get("plan_or_penalty").equals(plan))
                    .findFirst().orElse(null);
            if (rec == null) {
                out.add("no published static row for " + plan);
                continue;
            }
            near(out, rows.get(2), apps[i], rec.get("applications"));
            near(out, rows.get(2), accs[i], rec.get("value"));
        }
        for (String row : rows.subList(3, rows.size())) {
            String[] c = row.split("\\|");
            Matcher pen = Pattern.compile("penalty ([\\d.]+)").matcher(c[1]);
            assertTrue(pen.find(), row);
            double penalty = Double.parseDouble(pen.group(1));
            var rec = records.stream().filter(r -> r.get("kind").equals("router")
                    && Double.parseDouble(r.get("plan_or_penalty")) == penalty).findFirst().orElse(null);
            if (rec == null) {
                out.add("no published router row at penalty " + penalty);
                continue;
            }
            String[][] cols = {{"applications", "applications_se"}, {"value", "se"}, {"gain_vs_static", "gain_vs_static_se"},
                    {"gain_vs_mixture", "gain_vs_mixture_se"}};
            for (int k = 0; k < cols.length; k++) {
                Matcher m = Pattern.compile("([-+]?[\\d.]+) \\+- ([\\d.]+)").matcher(c[2 + k]);
                assertTrue(m.find(), row);
                near(out, row, m.group(1).replace("+", ""), rec.get(cols[k][0]));
                near(out, row, m.group(2), rec.get(cols[k][1]));
            }
        }
        return out;
    }

    /**
     * {@code shown} is {@code stored} (itself rounded to its digits) rounded to the digits shown: within half a unit of
     * the last digit of each (a value stored as 0.1550 may have been 0.15499 and shown as 0.15).
     */
    static void near(List<String> out, String row, String shown, String stored) {
        String t = shown.strip().replace(",", "");
        double tol = 0.5 * Math.pow(10, -decimals(t)) + 0.5 * Math.pow(10, -decimals(stored.strip())) + 1e-12;
        if (Math.abs(Double.parseDouble(t) - Double.parseDouble(stored)) > tol) {
            out.add(row + ": " + shown.strip() + " is not the published " + stored);
        }
    }

    private static int decimals(String t) {
        return t.contains(".") ? t.length() - t.indexOf('.') - 1 : 0;
    }

    /** {@code shown} (commas allowed) equals {@code value} rounded to the digits shown. */
    static void check(List<String> out, String row, String shown, double value) {
        String t = shown.strip().replace(",", "");
        int decimals = t.contains(".") ? t.length() - t.indexOf('.') - 1 : 0;
        BigDecimal want = BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP);
        if (want.compareTo(new BigDecimal(t)) != 0) {
            out.add(row + ": " + shown.strip() + " is not the published " + value);
        }
    }

    /**
     * What differs between the README section and the report: the normalised-score table (header row
     * {@code | affected layers |}) line by line, and each full-model score "TASK V +- SE" against the report's
     * full-model table.
     */
    static List<String> compare(String readme, String report) {
        List<String> out = new ArrayList<>();
        List<String> a = table(readme, "| affected layers |");
        List<String> b = table(report, "| affected layers |");
        assertTrue(a.size() >= 3, "the README section has the table");
        if (!a.equals(b)) {
            out.add("table differs:\nREADME:\n" + String.join("\n", a) + "\nreport:\n" + String.join("\n", b));
        }
        Matcher m = Pattern.compile("(wn-[a-z]+) (\\d\\.\\d{4}) \\+- (\\d\\.\\d{4})").matcher(readme);
        int found = 0;
        while (m.find()) {
            found++;
            String row = "| " + m.group(1) + " | accuracy | " + m.group(2) + " | " + m.group(3) + " |";
            if (!report.contains(row)) {
                out.add("full model " + m.group(1) + " " + m.group(2) + " +- " + m.group(3) + " is not the report's");
            }
        }
        if (found < 2) {
            out.add("the README states " + found + " full-model scores, expected 2");
        }
        return out;
    }

    /** The lines of the first markdown table whose first line starts with {@code header}. */
    static List<String> table(String text, String header) {
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String l : text.lines().toList()) {
            if (!in && l.startsWith(header)) {
                in = true;
            }
            if (in) {
                if (!l.startsWith("|")) {
                    break;
                }
                out.add(l.strip());
            }
        }
        return out;
    }

    /** From {@code heading} to the next "## " heading. */
    static String section(String text, String heading) {
        int a = text.indexOf(heading);
        assertTrue(a >= 0, "README has " + heading);
        int b = text.indexOf("\n## ", a + heading.length());
        return text.substring(a, b < 0 ? text.length() : b);
    }
}
