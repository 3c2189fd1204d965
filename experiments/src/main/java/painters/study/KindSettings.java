package painters.study;

/**
 * What kind of study a spec asks for, with that kind's own settings: the frozen grid ({@link GridSettings}), recovery
 * ({@link RecoverySettings}), a sweep of recovery runs ({@link SweepSettings}), a plan search ({@link SearchSettings})
 * or routers over plans ({@link RouterSettings}). {@link StudyKinds} registers each with the spec sections that select
 * it, how they are read and written, its identity lines and its factory; nothing else names a kind.
 *
 * <p>Not sealed: a kind is added by registering it ({@link StudyKinds#register}), which a test does for a toy kind.
 */
public interface KindSettings {

    /** The fine-tuning settings this kind trains with (recovery, and the base of a sweep); null for a frozen kind. */
    default RecoverySettings fineTuning() {
        return null;
    }
}
