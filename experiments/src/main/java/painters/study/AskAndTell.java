package painters.study;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The one ask-and-tell loop of the kinds whose next unit depends on stored scores (a sweep, a plan search): the units
 * of a run as stages asked in order. A stage is asked for its next unit and answers with one to hand out, with
 * {@link Ask#WAIT} when it needs every unit handed out so far stored first (a genetic search's next generation learns
 * from this one's scores), or with {@link Ask#OVER} when it has no more; a stage marked {@link Stage#barrier()} is
 * first asked only once every unit handed out before it is stored (a sweep's best candidate on test, a search's
 * fronts). The runner tells the loop each stored key ({@link #stored}); the kind is told the rows
 * ({@link StudyKind#stored}) and tells its generator. The budget, the replay of stored scores on resume (a stage
 * answers from the results file instead of handing out a unit it finds there) and the candidates stay with the kind.
 * Once every stage is over, {@link #next} returns null for good. Thread-safe.
 */
public final class AskAndTell implements StudyKind.Units {

    /** A stage's answer: a unit to hand out, or {@link #WAIT}, or {@link #OVER}. */
    public record Ask(Unit unit, boolean waits) {

        /** Ask again once every unit handed out so far is stored. */
        public static final Ask WAIT = new Ask(null, true);

        /** This stage has no more units; the next stage is asked. */
        public static final Ask OVER = new Ask(null, false);

        public static Ask hand(Unit unit) {
            if (unit == null) {
                throw new IllegalArgumentException("hand out a unit, or answer OVER");
            }
            return new Ask(unit, false);
        }
    }

    /** One stage of the loop. */
    public interface Stage {
        /** The next unit of this stage ({@link Ask#hand}), {@link Ask#WAIT} or {@link Ask#OVER}. */
        Ask ask();

        /** Whether the stage is first asked only once every unit handed out before it is stored. */
        default boolean barrier() {
            return false;
        }
    }

    /** A stage marked as a barrier. */
    public static Stage afterAllStored(Supplier<Ask> ask) {
        return new Stage() {
            @Override
            public Ask ask() {
                return ask.get();
            }

            @Override
            public boolean barrier() {
                return true;
            }
        };
    }

    private final List<Stage> stages;
    private final IntSupplier total;
    private final IntSupplier resumed;
    /** Keys of units handed out and not yet stored. */
    private final Set<String> outstanding = ConcurrentHashMap.newKeySet();
    private int stage;
    private boolean started;
    /** The next unit, once decided; null with {@code decided} when every stage is over. */
    private Unit ahead;
    private boolean decided;

    /**
     * @param stages  asked in this order
     * @param total   stored keys the study has in all, for progress (0 when not known in advance)
     * @param resumed of those, already in the results file when the run started
     */
    public AskAndTell(List<Stage> stages, IntSupplier total, IntSupplier resumed) {
        this.stages = List.copyOf(stages);
        this.total = total;
        this.resumed = resumed;
    }

    /** Whether units handed out are still to be stored (a stage answering {@link Ask#WAIT} asks this). */
    public boolean outstanding() {
        return !outstanding.isEmpty();
    }

    /** Asks the stages until one hands out a unit, all are over, or the next answer must wait. */
    private void decide() {
        while (!decided) {
            if (stage == stages.size()) {
                ahead = null;
                decided = true;
                return;
            }
            Stage s = stages.get(stage);
            if (!started) {
                if (s.barrier() && !outstanding.isEmpty()) {
                    return;
                }
                started = true;
            }
            Ask a = s.ask();
            if (a.waits()) {
                return;
            }
            if (a.unit() == null) {
                stage++;
                started = false;
                continue;
            }
            ahead = a.unit();
            decided = true;
        }
    }

    @Override
    public synchronized boolean nextWaits() {
        decide();
        return !decided;
    }

    @Override
    public synchronized Unit next() {
        decide();
        if (!decided) {
            throw new IllegalStateException("asked for a unit while the scores it needs are still being computed "
                    + "(ask nextWaits first)");
        }
        Unit u = ahead;
        if (u != null) {                    // once every stage is over, it stays over
            ahead = null;
            decided = false;
            outstanding.addAll(u.keys());
        }
        return u;
    }

    @Override
    public void stored(String key) {
        outstanding.remove(key);
    }

    @Override
    public int total() {
        return total.getAsInt();
    }

    @Override
    public int resumed() {
        return resumed.getAsInt();
    }
}
