/** The {@code painters} command line: describe, embed, verify, bench. Only this package prints to stdout. */
package painters.cli;
