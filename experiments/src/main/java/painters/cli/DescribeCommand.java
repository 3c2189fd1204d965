package painters.cli;

import java.util.concurrent.Callable;
import painters.model.Backend;
import painters.model.family.LoadedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Loads a model and prints what it is. */
@Command(name = "describe", description = "Load a model and print its configuration, size and checksum.")
final class DescribeCommand implements Callable<Integer> {

    @Mixin
    ModelOption model;

    @Mixin
    PromptOption prompt;

    @Override
    public Integer call() {
        print(prompt.into(model).load());
        return 0;
    }

    static void print(LoadedModel m) {
        System.out.printf("model      %s%n", m.id());
        boolean first = true;
        for (String line : m.describe()) {
            System.out.printf("%-10s %s%n", first ? "family" : "", line);
            first = false;
        }
        System.out.printf("readout    %s%n", m.readout());
        System.out.printf("sha256     %s%n", m.sha256());
        System.out.printf("loaded in  %.2f s%n", m.loadSeconds());
        System.out.printf("backend    %s%n", Backend.current());
    }
}
