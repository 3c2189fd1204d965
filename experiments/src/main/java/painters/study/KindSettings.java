package painters.study;

/**
 * What kind of study a spec asks for, with that kind's own settings: the frozen grid, recovery, a sweep of recovery
 * runs, a plan search or routers over plans (each in its own package under {@code painters.study}). {@link StudyKinds}
 * registers each with the spec sections that select it, how they are read and written, its identity lines and its
 * factory; nothing else names a kind.
 *
 * <p>Not sealed: a kind is added by registering it ({@link KindRegistration}), which a test does for a toy kind.
 */
public interface KindSettings {

    /**
     * The corpus a kind that fine-tunes a decoder trains on (its {@code finetune.data}), or null: a frozen kind, or
     * the default corpus. The subject reads it when it loads, before any kind's class runs.
     */
    default String fineTuneData() {
        return null;
    }

    /** The share of the fine-tuning windows held out for perplexity (a frozen kind: the default, unused). */
    default double heldOut() {
        return 0.1;
    }
}
