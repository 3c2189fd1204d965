/** Readers for the text the evaluations run on. Malformed input is an error naming file and line. */
package painters.eval.data;
