package painters.eval.suite;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BiConsumer;
import painters.eval.data.Synset;
import painters.eval.data.WordNet;
import painters.eval.task.Example;
import painters.eval.task.TaskSpec;
import painters.model.UserInputException;

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
 *   <li>{@code shuffle} (order-sensitive): a WordNet example sentence of 6-30 words, in half of the cases
 *   (at random) with all its words in a random order (never the original); the label says whether it
 *   was shuffled. The same words either way, so only their order decides. Chance = 0.5.</li>
 *   <li>{@code isa} (order-sensitive, relational): "A dog is a kind of animal." built from a noun and
 *   one of its direct hypernyms, in half of the cases (at random) with the two nouns swapped ("An animal
 *   is a kind of dog."); the label says whether the statement is true. Both statements of a pair hold the
 *   same words, so only their order decides; each pair appears once, in one order, and train and test
 *   share no pair. Single-word lemmas, distinct and not contained in one another. Chance = 0.5.</li>
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
            case "isa" -> isA(spec, seed);
            case "shuffle" -> shuffle(spec, seed);
            default -> throw new UserInputException(spec.name() + ": unknown WordNet generator \"" + gen + "\"");
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
                throw new UserInputException(spec.name() + ": \"" + lex + "\" is not a noun lexicographer file");
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
                throw new UserInputException(spec.name() + ": " + lex + " has only " + defs.size()
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
        return perturbedSentences(spec, seed, (w, r) -> {         // swap two adjacent, different words
            List<Integer> candidates = new ArrayList<>();
            for (int j = 0; j + 1 < w.size(); j++) {
                if (!w.get(j).equalsIgnoreCase(w.get(j + 1))) {
                    candidates.add(j);
                }
            }
            int j = candidates.get(r.nextInt(candidates.size()));
            Collections.swap(w, j, j + 1);
        });
    }

    static Map<String, List<Example>> shuffle(TaskSpec spec, long seed) {
        return perturbedSentences(spec, seed, (w, r) -> {         // the same words in another order
            List<String> original = List.copyOf(w);
            do {
                Collections.shuffle(w, r);
            } while (w.equals(original));
        });
    }

    /**
     * WordNet example sentences, each perturbed (label 1) or left as it is (label 0) by a seeded coin;
     * {@code perturb} changes a sentence's words in place.
     */
    private static Map<String, List<Example>> perturbedSentences(TaskSpec spec, long seed,
                                                                 BiConsumer<List<String>, Random> perturb) {
        int nTrain = Integer.parseInt(param(spec, "train"));
        int nTest = Integer.parseInt(param(spec, "test"));
        Random r = new Random(seed);
        List<String> sentences = exampleSentences(nTrain + nTest, spec, r);
        Map<String, List<Example>> out = new LinkedHashMap<>();
        out.put("train", new ArrayList<>());
        out.put("test", new ArrayList<>());
        for (int i = 0; i < nTrain + nTest; i++) {
            List<String> w = new ArrayList<>(List.of(sentences.get(i).split("\\s+")));
            boolean perturbed = r.nextBoolean();
            if (perturbed) {
                perturb.accept(w, r);
            }
            out.get(i < nTrain ? "train" : "test").add(new Example("wordnet:example#" + i, List.of(String.join(" ", w)),
                    perturbed ? 1 : 0, Double.NaN));
        }
        return out;
    }

    /** {@code n} distinct WordNet example sentences of 6-30 words, in a seeded order. */
    private static List<String> exampleSentences(int n, TaskSpec spec, Random r) {
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
        if (sentences.size() < n) {
            throw new UserInputException(spec.name() + ": only " + sentences.size() + " example sentences");
        }
        Collections.shuffle(sentences, r);
        return sentences;
    }

    static Map<String, List<Example>> isA(TaskSpec spec, long seed) {
        int nTrain = Integer.parseInt(param(spec, "train"));
        int nTest = Integer.parseInt(param(spec, "test"));
        Map<Long, Synset> nouns = new HashMap<>();
        for (Synset s : synsets()) {
            if (s.pos() == 'n') {
                nouns.put(s.offset(), s);
            }
        }
        List<String[]> pairs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Synset s : synsets()) {
            if (s.pos() != 'n') {
                continue;
            }
            String hypo = s.lemmas().get(0);
            for (long h : s.hypernyms()) {
                Synset up = nouns.get(h);
                if (up == null) {
                    continue;
                }
                String hyper = up.lemmas().get(0);
                if (oneWord(hypo) && oneWord(hyper) && !hypo.equalsIgnoreCase(hyper)
                        && !hypo.toLowerCase(Locale.ROOT).contains(hyper.toLowerCase(Locale.ROOT))
                        && !hyper.toLowerCase(Locale.ROOT).contains(hypo.toLowerCase(Locale.ROOT))
                        && seen.add(hypo + "|" + hyper)) {
                    pairs.add(new String[] {hypo, hyper});
                }
            }
        }
        if (pairs.size() < nTrain + nTest) {
            throw new UserInputException(spec.name() + ": only " + pairs.size() + " noun/hypernym pairs");
        }
        Random r = new Random(seed);
        Collections.shuffle(pairs, r);
        Map<String, List<Example>> out = new LinkedHashMap<>();
        out.put("train", new ArrayList<>());
        out.put("test", new ArrayList<>());
        for (int i = 0; i < nTrain + nTest; i++) {
            boolean truth = r.nextBoolean();
            String a = truth ? pairs.get(i)[0] : pairs.get(i)[1];
            String b = truth ? pairs.get(i)[1] : pairs.get(i)[0];
            String sentence = article(a) + " " + a + " is a kind of " + b + ".";
            out.get(i < nTrain ? "train" : "test").add(new Example("wordnet:isa#" + i, List.of(sentence), truth ? 1 : 0,
                    Double.NaN));
        }
        return out;
    }

    private static boolean oneWord(String lemma) {
        return lemma.length() >= 3 && lemma.chars().allMatch(Character::isLetter);
    }

    /** "A" or "An" by the noun's first letter (a rule of thumb: "An hour" and "A unicorn" are rare here). */
    private static String article(String noun) {
        return "aeiouAEIOU".indexOf(noun.charAt(0)) >= 0 ? "An" : "A";
    }

    private static String param(TaskSpec spec, String key) {
        String v = spec.params().get(key);
        if (v == null) {
            throw new UserInputException(spec.name() + ": missing parameter \"" + key + "\"");
        }
        return v;
    }
}
