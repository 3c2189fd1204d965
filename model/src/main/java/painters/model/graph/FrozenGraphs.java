package painters.model.graph;

import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.SessionMemMgr;
import org.nd4j.autodiff.samediff.internal.memory.ArrayCacheMemoryMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * SameDiff graphs that only run inference over pretrained arrays they never change; a study builds
 * one per plan and per shared prefix, so what each graph costs on its own matters.
 *
 * <ul>
 *   <li>SameDiff's default array holder copies every array given to {@code sd.var(name, array)}
 *   (one copy per device, for thread safety under training): for BGE-small 133 MB allocated, zeroed
 *   and copied per graph, ~0.4 s of the ~0.5 s it took to build one, and 133 MB held by every live
 *   graph. The graphs here hold the pretrained arrays themselves. Safe because nothing writes to
 *   them: inference only reads variables. (Training graphs keep the copying default: their variables
 *   are updated in place.)</li>
 *   <li>Each graph's session recycles its intermediate arrays through its own cache, which starts
 *   empty: a graph run a few times (a one-block prefix segment on a handful of batches) allocates
 *   and zeroes fresh memory for nearly every op. {@link #output} runs every frozen graph on a thread
 *   with one cache for that thread, so the arrays one graph released serve the next.</li>
 * </ul>
 * Arrays a call returns are never recycled (the session hands them over), so they stay valid.
 */
public final class FrozenGraphs {

    private FrozenGraphs() {
    }

    /**
     * Bytes of released arrays each thread's cache may keep (SameDiff's default is a quarter of the
     * memory, per cache): one block's intermediates at batch 32 x 128 are ~125 MB, and a study feeds
     * batches of many shapes through one thread. Measured (BGE-small, 2 workers, one thread each): at
     * 32 x 128 a forward took 3.8 s with 512 or 256 MB and 4.5 s with 128 MB; a one-split slice of the
     * default study (batches of 32 short texts) took the same time with 64..512 MB and peaked at 2.9 GB
     * resident with 64 or 128 MB, 3.5 GB with 256 MB, 3.8-4.1 GB with 512 MB.
     */
    static final long CACHE_BYTES = 256L << 20;

    private static final ThreadLocal<SessionMemMgr> MEMORY = ThreadLocal.withInitial(() -> {
        ArrayCacheMemoryMgr m = new ArrayCacheMemoryMgr();
        m.setMaxCacheBytes(CACHE_BYTES);
        return m;
    });

    /** An empty graph whose variables and constants will be the arrays given, not copies. */
    public static SameDiff create() {
        SameDiff sd = SameDiff.create();
        sd.setArrayHolders(new SingleThreadArrayHolder(), new SingleThreadArrayHolder(), false);
        return sd;
    }

    /** {@code sd.output(feed, names)}, with this thread's shared array cache. */
    public static Map<String, INDArray> output(SameDiff sd, Map<String, INDArray> feed, String... names) {
        useThreadCache(sd);
        return sd.output(feed, names);
    }

    /**
     * Makes {@code sd}'s session on this thread recycle arrays through this thread's shared, bounded cache
     * instead of a cache of its own (SameDiff's default may keep a quarter of the memory, per session). Not
     * for training graphs: a step's activations (gigabytes) would then be allocated afresh every step.
     */
    private static void useThreadCache(SameDiff sd) {
        // building a graph may already have made this thread's session (with its own cache)
        InferenceSession s = sd.getSessions().computeIfAbsent(Thread.currentThread().getId(),
                id -> new InferenceSession(sd));
        SessionMemMgr shared = MEMORY.get();
        if (s.getMmgr() != shared) {
            SessionMemMgr own = s.getMmgr();
            s.setMmgr(shared);
            if (own != null) {
                own.close();        // what the session's own cache kept: freed now
            }
        }
    }

    /**
     * Frees an array the caller owns (a graph's output, a state computed for one batch) now instead of at
     * the next garbage collection, when it can be freed: not a view, not already closed. Null is ignored.
     */
    public static void free(INDArray a) {
        if (a != null && !a.wasClosed() && a.closeable()) {
            a.close();
        }
    }
}
