package painters.eval.data;

import java.util.List;

/**
 * One WordNet synset.
 *
 * @param pos        part of speech: n, v, a, s (satellite adjective) or r
 * @param offset     byte offset in its data file (the synset's id within its part of speech)
 * @param lexFile    lexicographer file number (0..44: noun.animal, verb.motion, ...)
 * @param lemmas     its words, underscores turned into spaces, adjective markers removed
 * @param definition the gloss without its examples
 * @param examples   the quoted example sentences of the gloss
 * @param hypernyms  offsets of its hypernyms of the same part of speech (pointer "@", not instance "@i")
 */
public record Synset(char pos, long offset, int lexFile, List<String> lemmas, String definition, List<String> examples,
                     List<Long> hypernyms) {

    public Synset {
        lemmas = List.copyOf(lemmas);
        examples = List.copyOf(examples);
        hypernyms = List.copyOf(hypernyms);
    }
}
