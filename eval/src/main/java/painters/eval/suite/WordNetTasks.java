package painters.eval.suite;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import painters.eval.data.Synset;
import painters.eval.data.WordNet;
import painters.eval.task.Example;
import painters.eval.task.TaskSpec;

/**
 * Generates the WordNet tasks. Both are deterministic from the spec's {@code seed}; train and test
 * never share a source text.
 *
 * <ul>
 *   <li>{@code lexname} (semantic): the definition of a noun synset, classified into its
 *   lexicographer category (noun.animal, noun.food, ...). Only synsets with one-word-or-more
 *   definitions of at least 4 words; classes balanced ({@code perClassTrain}, {@code perClassTest}
 *   per class, drawn without replacement); chance = 1 / classes.</li>
 *   <li>{@code bshift} (order-sensitive, SentEval's "bigram shift"): a WordNet example sentence of
 *   6-30 words, in half of the cases (chosen at random) with one random pair of adjacent, different
 *   words swapped; the label says whether a swap happened. Chance = 0.5.</li>
 * </ul>
 */
public final class WordNetTasks {

    /** WordNet's lexicographer file names, by number (lexnames(5WN)). */
    public static final List<String> LEXNAMES = List.of("adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act",
            "noun.animal", "noun.artifact", "noun.attribute", "noun.body", "noun.cognition", "noun.communication",
            "noun.event", "noun.feeling", "noun.food", "noun.group", "noun.location", "noun.motive", "noun.object",
            "noun.person", "noun.phenomenon", "noun.plant", "noun.possession", "noun.process", "noun.quantity",
            "noun.relation", "noun.shape", "noun.state", "noun.substance", "noun.time", "verb.body", "verb.change",
            "verb.cognition", "verb.communication", "verb.competition", "verb.consumption", "verb.contact",
            "verb.creation", "verb.emotion", "verb.motion", "verb.perception", "verb.possession", "verb.social",
            "verb.stative", "verb.weather", "adj.ppl");

    private static List<Synset> cache;

    private WordNetTasks() {}

    private static synchronized List<Synset> synsets() {
        if (cache == null) {
            cache = WordNet.load();
        }
        return cache;
    }

    /** Every split of a WordNet task: split name -> examples. */
    public static Map<String, List<Example>> generate(TaskSpec spec) {
        String gen = param(spec, "generator");
        long seed = Long.parseLong(param(spec, "seed"));
        return switch (gen) {
            case "lexname" -> lexname(spec, seed);
            case "bshift" -> bigramShift(spec, seed);
            default -> throw new IllegalArgumentException(spec.name() + ": unknown WordNet generator \"" + gen + "\"");
        };
    }

    static Map<String, List<Example>> lexname(TaskSpec spec, long seed) {
        int perTrain = Integer.parseInt(param(spec, "perClassTrain"));
        int perTest = Integer.parseInt(param(spec, "perClassTest"));
        Map<String, List<Example>> out = new LinkedHashMap<>();
        out.put("train", new ArrayList<>());
        out.put("test", new ArrayList<>());
        Random r = new Random(seed);
        for (int c = 0; c < spec.labels().size(); c++) {
            String lex = spec.labels().get(c);
            int file = LEXNAMES.indexOf(lex);
            if (file < 0 || !lex.startsWith("noun.")) {
                throw new IllegalArgumentException(spec.name() + ": \"" + lex + "\" is not a noun lexicographer file");
            }
            List<String> defs = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (Synset s : synsets()) {
                if (s.pos() == 'n' && s.lexFile() == file && s.definition().split("\\s+").length >= 4
                        && seen.add(s.definition())) {
                    defs.add(s.definition());
                }
            }
            if (defs.size() < perTrain + perTest) {
                throw new IllegalArgumentException(spec.name() + ": " + lex + " has only " + defs.size()
                        + " usable definitions, need " + (perTrain + perTest));
            }
            Collections.shuffle(defs, r);
            for (int i = 0; i < perTrain + perTest; i++) {
                String split = i < perTrain ? "train" : "test";
                out.get(split).add(new Example("wordnet:" + lex + "#" + i, List.of(defs.get(i)), c, Double.NaN));
            }
        }
        out.values().forEach(l -> Collections.shuffle(l, r));
        return out;
    }

    static Map<String, List<Example>> bigramShift(TaskSpec spec, long seed) {
        int nTrain = Integer.parseInt(param(spec, "train"));
        int nTest = Integer.parseInt(param(spec, "test"));
        Random r = new Random(seed);
        List<String> sentences = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Synset s : synsets()) {
            for (String e : s.examples()) {
                int words = e.split("\\s+").length;
                if (words >= 6 && words <= 30 && seen.add(e)) {
                    sentences.add(e);
                }
            }
        }
        if (sentences.size() < nTrain + nTest) {
            throw new IllegalArgumentException(spec.name() + ": only " + sentences.size() + " example sentences");
        }
        Collections.shuffle(sentences, r);
        Map<String, List<Example>> out = new LinkedHashMap<>();
        out.put("train", new ArrayList<>());
        out.put("test", new ArrayList<>());
        for (int i = 0; i < nTrain + nTest; i++) {
            String[] w = sentences.get(i).split("\\s+");
            boolean shift = r.nextBoolean();
            if (shift) {
                List<Integer> candidates = new ArrayList<>();
                for (int j = 0; j + 1 < w.length; j++) {
                    if (!w[j].equalsIgnoreCase(w[j + 1])) {
                        candidates.add(j);
                    }
                }
                int j = candidates.get(r.nextInt(candidates.size()));
                String t = w[j];
                w[j] = w[j + 1];
                w[j + 1] = t;
            }
            String split = i < nTrain ? "train" : "test";
            out.get(split).add(new Example("wordnet:example#" + i, List.of(String.join(" ", w)), shift ? 1 : 0,
                    Double.NaN));
        }
        return out;
    }

    private static String param(TaskSpec spec, String key) {
        String v = spec.params().get(key);
        if (v == null) {
            throw new IllegalArgumentException(spec.name() + ": missing parameter \"" + key + "\"");
        }
        return v;
    }
}
