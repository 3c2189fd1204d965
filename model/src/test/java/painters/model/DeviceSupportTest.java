package painters.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The hardware matrix of nd4j-cuda-11.6 1.0.0-M2.1 (SASS for 3.7, 5.0, 5.2, 6.0, 6.1, 7.0, 7.5, 8.0, 8.6; no
 * PTX) against real GPUs' compute capabilities (NVIDIA's CUDA GPU list).
 */
class DeviceSupportTest {

    static DeviceSupport.Gpu gpu(String name, int major, int minor) {
        return new DeviceSupport.Gpu(0, name, major, minor, 80_000_000_000L, 79_000_000_000L);
    }

    @Test
    void pascalToAmpereAndAdaRunHopperAndBlackwellDoNot() {
        String a = DeviceSupport.KNOWN_ARTIFACT;
        String v = DeviceSupport.KNOWN_VERSION;
        assertNull(DeviceSupport.refusal(gpu("Tesla P100", 6, 0), a, v));
        assertNull(DeviceSupport.refusal(gpu("Tesla V100", 7, 0), a, v));
        assertNull(DeviceSupport.refusal(gpu("Tesla T4", 7, 5), a, v));
        assertNull(DeviceSupport.refusal(gpu("A100", 8, 0), a, v));
        assertNull(DeviceSupport.refusal(gpu("RTX 3090", 8, 6), a, v));
        assertNull(DeviceSupport.refusal(gpu("RTX 4090", 8, 9), a, v), "Ada runs the 8.6 code (same major)");
        assertNull(DeviceSupport.refusal(gpu("Jetson Nano", 5, 3), a, v), "5.3 runs the 5.2 code");
        String h200 = DeviceSupport.refusal(gpu("NVIDIA H200", 9, 0), a, v);
        assertTrue(h200 != null && h200.contains("NVIDIA H200") && h200.contains("compute capability 9.0")
                && h200.contains("nd4j-cuda-11.6:1.0.0-M2.1") && h200.contains("CPU build"), h200);
        assertFalse(DeviceSupport.runs(DeviceSupport.M2_1_CUDA_11_6, 10, 0), "B200");
        assertFalse(DeviceSupport.runs(DeviceSupport.M2_1_CUDA_11_6, 12, 0), "RTX 5090");
        assertFalse(DeviceSupport.runs(DeviceSupport.M2_1_CUDA_11_6, 3, 5), "K40: below the oldest kernel (3.7)");
    }

    @Test
    void anotherCudaBuildIsNotCheckedHere() {
        assertNull(DeviceSupport.refusal(gpu("NVIDIA H200", 9, 0), "nd4j-cuda-12.3", "1.0.0-SNAPSHOT"));
    }

    @Test
    void theCpuBuildHasNoGpusAndPassesTheCheck() {
        assertNull(DeviceSupport.cudaArtifact());
        assertTrue(DeviceSupport.gpus().isEmpty());
        DeviceSupport.check();
    }
}
