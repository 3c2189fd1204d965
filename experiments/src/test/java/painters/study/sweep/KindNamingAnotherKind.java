package painters.study.sweep;

import painters.study.recovery.RecoveryRegistration;

/** A fixture that breaks the kinds' rule (ArchitectureTest's negative control): a sweep class naming recovery's registration. */
public final class KindNamingAnotherKind {

    Class<?> kind() {
        return RecoveryRegistration.class;
    }
}
