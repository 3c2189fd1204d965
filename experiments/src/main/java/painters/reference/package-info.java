/**
 * Independent references: ONNX Runtime running the same ONNX export the SameDiff encoder was built
 * from. Used by the {@code verify} and {@code bench} commands and the parity tests.
 */
package painters.reference;
