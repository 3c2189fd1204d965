package painters.study.recovery;

import painters.study.sweep.KindNamingAnotherKind;

/** A fixture that closes a cycle with {@link KindNamingAnotherKind} (ArchitectureTest's negative control). */
public final class KindNamingSweep {

    Class<?> other() {
        return KindNamingAnotherKind.class;
    }
}
