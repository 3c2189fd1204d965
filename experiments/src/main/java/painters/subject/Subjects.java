package painters.subject;

import painters.model.family.CausalLm;
import painters.model.family.LoadedModel;
import painters.model.family.ModelFamilies;
import painters.model.family.SentenceEncoder;
import painters.model.weights.Precision;

/**
 * The one place that chooses a protocol: from what the model says its output is
 * ({@link painters.model.family.LoadedModel#readout()}), never from which family loaded it.
 */
public final class Subjects {

    private Subjects() {}

    /** Loads {@code model} (any family) and gives it its protocol. */
    public static Subject load(String model, SubjectSettings settings) {
        return load(model, Precision.FP32, settings);
    }

    /** Loads {@code model} (any family) with its weights held in {@code precision}, and gives it its protocol. */
    public static Subject load(String model, Precision precision, SubjectSettings settings) {
        return of(ModelFamilies.load(model).withPrecision(precision), settings);
    }

    public static Subject of(LoadedModel m, SubjectSettings settings) {
        return switch (m.readout()) {
            case SENTENCE_FEATURES -> new FeatureSubject(as(m, SentenceEncoder.class), settings);
            case NEXT_TOKEN -> new LanguageModelSubject(as(m, CausalLm.class), settings);
        };
    }

    private static <T> T as(LoadedModel m, Class<T> type) {
        if (!type.isInstance(m)) {
            throw new IllegalStateException(m.id() + " (" + m.family() + ") reads as " + m.readout()
                    + " but does not implement " + type.getSimpleName() + ", the capability that readout's protocol uses");
        }
        return type.cast(m);
    }
}
