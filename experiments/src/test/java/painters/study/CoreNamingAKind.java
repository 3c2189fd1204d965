package painters.study;

import painters.study.grid.GridRegistration;

/** A fixture that breaks the core's rule (ArchitectureTest's negative control): a core class naming a kind. */
public final class CoreNamingAKind {

    Class<?> kind() {
        return GridRegistration.class;
    }
}
