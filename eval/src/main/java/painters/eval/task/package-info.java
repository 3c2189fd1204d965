/**
 * Tasks as data: a small JSON spec per task (reader, paths, text and label fields, kind, metrics,
 * chance level, version) and the readers that turn its files into examples. Built-in specs for the
 * GLUE tasks the paper uses live under {@code painters/eval/tasks/}; their paths use {@code ${data}},
 * the data folder given on the command line or in a study file.
 */
package painters.eval.task;
