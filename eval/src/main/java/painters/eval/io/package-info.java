/** Files researchers open: CSV written through Apache Commons CSV. */
package painters.eval.io;
