package painters.study;

import java.io.Console;
import java.io.PrintStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cells done / total with an ETA: a redrawn bar on a terminal, plain log lines otherwise (CI, files).
 * The ETA uses the cells computed in this run only (resumed cells cost nothing).
 */
final class Progress {

    private static final Logger log = LoggerFactory.getLogger(Progress.class);

    private final int total;
    private final int resumed;
    private final long start = System.nanoTime();
    private final boolean terminal = terminal();
    private final PrintStream err = System.err;
    private int done;

    Progress(int total, int resumed) {
        this.total = total;
        this.resumed = resumed;
        this.done = resumed;
        if (resumed > 0) {
            log.info("resuming: {} of {} units already in the results file", resumed, total);
        }
    }

    /**
     * Whether stderr is a terminal (progress redraws one line) rather than a file or pipe (a log line per unit).
     * {@code System.console()} is non-null on JDK 22+ even when redirected; there {@code Console.isTerminal()} says.
     */
    static boolean terminal() {
        Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(c);
        } catch (NoSuchMethodException e) {
            return true;                                     // before JDK 22 a console exists only on a terminal
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    synchronized void step(String what) {
        done++;
        int computed = done - resumed;
        double elapsed = (System.nanoTime() - start) / 1e9;
        double eta = computed == 0 ? 0 : elapsed / computed * (total - done);
        if (total <= 0) {
            log.info("unit {} ({}), elapsed {}", done, what, time(elapsed));
            return;
        }
        if (terminal) {
            int width = 30;
            int filled = (int) Math.round(width * (double) done / total);
            err.printf("\r[%s%s] %d/%d cells  %s elapsed  ETA %s  %-40.40s", "#".repeat(filled), " ".repeat(width - filled),
                    done, total, time(elapsed), time(eta), what);
            if (done == total) {
                err.println();
            }
        } else {
            log.info("cell {}/{} ({}), elapsed {}, ETA {}", done, total, what, time(elapsed), time(eta));
        }
    }

    static String time(double s) {
        long t = Math.round(s);
        return t >= 3600 ? String.format("%dh%02dm", t / 3600, t % 3600 / 60) : String.format("%dm%02ds", t / 60, t % 60);
    }
}
