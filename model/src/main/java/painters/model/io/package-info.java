/** File helpers shared by every module (atomic writes). */
package painters.model.io;
