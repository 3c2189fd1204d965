package painters.study;

/**
 * A study kind's one registration line: a class in the kind's package, named in
 * {@code META-INF/services/painters.study.KindRegistration}, that {@link StudyKinds} loads through
 * {@link java.util.ServiceLoader} in the order that file lists them (the order the resolved spec writes the sections
 * in). The core of {@code painters.study} imports no kind.
 */
public interface KindRegistration {

    /** The kind, as the registry keeps it. */
    StudyKinds.Kind kind();
}
