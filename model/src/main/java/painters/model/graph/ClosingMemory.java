package painters.model.graph;

import org.nd4j.autodiff.samediff.internal.memory.AbstractMemoryMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A SameDiff session memory manager that frees each intermediate array as soon as the session releases it
 * (its last reader is done) and allocates afresh: no cache. M2.1's {@code ArrayCacheMemoryMgr} held on to
 * memory far beyond its bound: a BGE-small fine-tuning step at 32 x 128 peaked at 7.3-8.3 GB resident with
 * it (whole graph or recomputed) against 1.5 GB with this one, at the same speed or faster (13-17 s per step
 * against 15-19 s, 1 thread), with the same losses. An array whose buffer another array shares is left to
 * its last owner.
 */
final class ClosingMemory extends AbstractMemoryMgr {

    @Override
    public INDArray allocate(boolean detached, DataType dataType, long... shape) {
        return Nd4j.createUninitializedDetached(dataType, shape);
    }

    @Override
    public INDArray allocate(boolean detached, LongShapeDescriptor descriptor) {
        if (descriptor.isEmpty()) {
            return Nd4j.create(descriptor);
        }
        return Nd4j.createUninitializedDetached(descriptor.dataType(), descriptor.getShape());
    }

    @Override
    public void release(INDArray array) {
        if (!array.wasClosed() && array.closeable() && Nd4j.getExecutioner().useCount(array.data()) <= 1) {
            array.close();
        }
    }

    @Override
    public void close() {
    }
}
