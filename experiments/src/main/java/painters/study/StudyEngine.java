package painters.study;

import java.io.IOException;
import java.util.ServiceLoader;
import painters.model.UserInputException;

/**
 * Where a study's units are computed: {@code local} (this process's worker threads, the default) or an engine
 * another module provides through {@link ServiceLoader} ({@code spark}, module {@code distributed}, which fans
 * shares of the study out to a cluster). Whatever the engine, the runner's sink stores each key's rows once, in
 * the study folder's one results file, and the outputs are the same files.
 */
public interface StudyEngine {

    /** The name a study file's {@code engine} key gives. */
    String name();

    /** Computes every unit {@code job} hands out and stores each key's rows once through its sink. */
    void run(StudyJob job) throws IOException;

    /** The engine called {@code name}: {@code local}, or one found on the classpath; else a one-line error. */
    static StudyEngine named(String name) {
        if (name.equals(LocalEngine.NAME)) {
            return new LocalEngine();
        }
        for (StudyEngine e : ServiceLoader.load(StudyEngine.class)) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        throw new UserInputException("engine \"" + name + "\" is not available here: \"local\" is built in; \"spark\" "
                + "comes with module distributed (./painters runs it once `mvn package` has built "
                + "distributed/target/painters-spark.jar; on a cluster, spark-submit that jar)");
    }
}
