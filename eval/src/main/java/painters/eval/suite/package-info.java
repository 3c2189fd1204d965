/**
 * The embedded default suite: tasks generated deterministically from WordNet 3.1 (Maven Central),
 * so the main job has real data on a fresh machine. A semantic task (lexicographer category of a
 * definition) and an order-sensitive one (bigram shift), mirroring the paper's semantic vs
 * reasoning contrast.
 */
package painters.eval.suite;
