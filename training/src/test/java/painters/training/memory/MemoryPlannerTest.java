package painters.training.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import painters.model.family.Architecture;
import painters.model.family.ModelFamilies;
import painters.model.plan.LayerPlan;
import painters.model.plan.Split;
import painters.model.plan.Variant;
import painters.model.weights.Precision;
import painters.training.UnfreezePolicy;
import painters.training.memory.MemoryRequest.Workload;

/**
 * The planner against published parameter counts (Hugging Face model pages, from the safetensors
 * headers), a checkpoint file's own size, and hand-computed memory figures for the paper's setups.
 */
class MemoryPlannerTest {

    static final String LLAMA2_7B = "{\"model_type\":\"llama\",\"hidden_size\":4096,\"intermediate_size\":11008,"
            + "\"num_hidden_layers\":32,\"num_attention_heads\":32,\"num_key_value_heads\":32,\"vocab_size\":32000,"
            + "\"max_position_embeddings\":4096,\"rms_norm_eps\":1e-05,\"torch_dtype\":\"float16\","
            + "\"tie_word_embeddings\":false,\"bos_token_id\":1,\"eos_token_id\":2}";
    static final String LLAMA2_13B = "{\"model_type\":\"llama\",\"hidden_size\":5120,\"intermediate_size\":13824,"
            + "\"num_hidden_layers\":40,\"num_attention_heads\":40,\"num_key_value_heads\":40,\"vocab_size\":32000,"
            + "\"max_position_embeddings\":4096,\"rms_norm_eps\":1e-05,\"torch_dtype\":\"float16\"}";
    static final String LLAMA31_8B = "{\"model_type\":\"llama\",\"hidden_size\":4096,\"intermediate_size\":14336,"
            + "\"num_hidden_layers\":32,\"num_attention_heads\":32,\"num_key_value_heads\":8,\"vocab_size\":128256,"
            + "\"max_position_embeddings\":131072,\"rms_norm_eps\":1e-05,\"rope_theta\":500000.0,\"rope_scaling\":"
            + "{\"factor\":8.0,\"low_freq_factor\":1.0,\"high_freq_factor\":4.0,\"original_max_position_embeddings\":8192,"
            + "\"rope_type\":\"llama3\"},\"torch_dtype\":\"bfloat16\",\"tie_word_embeddings\":false,"
            + "\"bos_token_id\":128000,\"eos_token_id\":[128001,128008,128009]}";
    static final String MISTRAL_7B = "{\"model_type\":\"mistral\",\"hidden_size\":4096,\"intermediate_size\":14336,"
            + "\"num_hidden_layers\":32,\"num_attention_heads\":32,\"num_key_value_heads\":8,\"vocab_size\":32000,"
            + "\"max_position_embeddings\":32768,\"rms_norm_eps\":1e-05,\"rope_theta\":10000.0,\"sliding_window\":4096,"
            + "\"torch_dtype\":\"bfloat16\",\"tie_word_embeddings\":false}";

    @TempDir
    Path tmp;

    Architecture arch(String name, String json) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.writeString(dir.resolve("config.json"), json);
        return ModelFamilies.architecture(dir.toString());
    }

    @Test
    void parameterCountsEqualThePublishedOnesFromTheConfigAlone() throws IOException {
        assertEquals(6_738_415_616L, arch("llama-2-7b", LLAMA2_7B).parameters());
        assertEquals(13_015_864_320L, arch("llama-2-13b", LLAMA2_13B).parameters());
        assertEquals(8_030_261_248L, arch("llama-3.1-8b", LLAMA31_8B).parameters());
        assertEquals(7_241_732_096L, arch("mistral-7b", MISTRAL_7B).parameters());
        Architecture m = arch("mistral-7b", MISTRAL_7B);
        assertEquals("bfloat16", m.checkpointDtype(), "torch_dtype is read");
        assertEquals("mistral", m.modelType());
    }

    @Test
    void aConfigFileWorksAsWellAsItsDirectory() throws IOException {
        arch("dir", LLAMA2_7B);
        assertEquals(6_738_415_616L, ModelFamilies.architecture(tmp.resolve("dir/config.json").toString()).parameters());
    }

    /** BGE-small-en-v1.5: 33.4M on its model card, which counts the pooler (384 x 384 + 384) that no study uses. */
    @Test
    void theDefaultModelHasItsPublishedSizeWithoutThePooler() {
        Architecture a = ModelFamilies.architecture("default");
        assertEquals(12, a.numLayers());
        assertEquals(33.4e6, a.parameters() + 384 * 384 + 384, 0.05e6);
        assertEquals(0, a.activations().cachePerToken(), "an encoder has no KV cache");
    }

    /** stories260K: the llama2.c file is a 28-byte header and fp32 values (weights and two RoPE tables). */
    @Test
    void stories260kCountMatchesItsFileSize() throws IOException {
        Path bin = Path.of("../../shared/data/models/stories260K/stories260K.bin");
        if (!Files.exists(bin)) {
            bin = Path.of("../shared/data/models/stories260K/stories260K.bin");
        }
        assumeTrue(Files.exists(bin), "../shared/data/models/stories260K absent");
        ByteBuffer h = ByteBuffer.wrap(Files.readAllBytes(bin)).order(ByteOrder.LITTLE_ENDIAN);
        int dim = h.getInt(0);
        int heads = h.getInt(12);
        int seqLen = h.getInt(24);
        long ropeTables = (long) seqLen * (dim / heads);       // freq_cis_real + freq_cis_imag: seq x hd/2 each
        long values = (Files.size(bin) - 28) / 4;
        Architecture a = ModelFamilies.architecture(bin.toString());
        assertEquals(values - ropeTables, a.parameters());
    }

    @Test
    void frozenEvaluationOfLlama2SevenBInBf16HoldsTwoBytesPerParameter() throws IOException {
        Architecture a = arch("l7", LLAMA2_7B);
        MemoryEstimate e = MemoryPlanner.estimate(new MemoryRequest(a, LayerPlan.identity(32), null, Workload.EVAL,
                null, Precision.BF16, Precision.BF16, 1, 2048, 2));
        assertEquals(13_476_831_232L, e.bytes("frozen weights"));
        assertEquals(0, e.bytes("gradients"));
        assertEquals(0, e.bytes("optimizer (AdamW)"));
        assertTrue(e.total() > e.bytes("frozen weights"));
    }

    /**
     * The paper's A.2 setting, full fine-tuning in fp32 with AdamW: embeddings frozen (our policy), every
     * other parameter trains: 4 B weight + 4 B gradient + 8 B moments = 16 B per trained parameter.
     */
    @Test
    void fullFineTuningCostsSixteenBytesPerTrainedParameter() throws IOException {
        Architecture a = arch("l7", LLAMA2_7B);
        MemoryEstimate e = MemoryPlanner.estimate(new MemoryRequest(a, LayerPlan.identity(32), null, Workload.TRAIN,
                UnfreezePolicy.parse("all"), Precision.FP32, Precision.FP32, 1, 512, 2));
        long trained = 6_738_415_616L - 32_000L * 4096;
        assertEquals(32_000L * 4096 * 4, e.bytes("frozen weights"));
        assertEquals(trained * 4, e.bytes("trainable weights"));
        assertEquals(trained * 4, e.bytes("gradients"));
        assertEquals(trained * 8, e.bytes("optimizer (AdamW)"));
        // recomputation: 33 residual states of 512 x 4096 fp32 values, one block's activations and their gradients
        assertEquals(33L * 512 * 4096 * 4, e.bytes("saved states"));
        assertEquals(e.bytes("one step's activations"), e.bytes("activation gradients"));
        assertTrue(e.bytes("one step's activations") > 0);
    }

    /** LoRA r=8 on q, v (PEFT's 4,194,304 trainable parameters) over bf16 frozen weights. */
    @Test
    void loraTrainsOnlyItsAdaptersOverHalfPrecisionWeights() throws IOException {
        Architecture a = arch("l7", LLAMA2_7B);
        MemoryEstimate e = MemoryPlanner.estimate(new MemoryRequest(a, LayerPlan.identity(32), null, Workload.TRAIN,
                UnfreezePolicy.parse("lora:8:q,v"), Precision.BF16, Precision.BF16, 4, 512, 2));
        assertEquals(6_738_415_616L * 2, e.bytes("frozen weights"));
        assertEquals(0, e.bytes("trainable weights"));
        assertEquals(4_194_304L * 4, e.bytes("LoRA adapters"));
        assertEquals(4_194_304L * 4, e.bytes("gradients"));
        assertEquals(4_194_304L * 8, e.bytes("optimizer (AdamW)"));
    }

    /**
     * KV cache: the widely quoted 0.5 MiB per token of Llama-2-7B in fp16 (32 blocks x 2 x 4096 x 2 B) and
     * 128 KiB of Llama-3.1-8B (grouped-query attention, 8 key/value heads); a plan that skips blocks caches
     * only the blocks it runs (skip at s = 8 keeps 0..8 and 24..31: 17 blocks).
     */
    @Test
    void kvCacheFollowsTheBlockApplicationsOfThePlan() throws IOException {
        Architecture l2 = arch("l7", LLAMA2_7B);
        MemoryEstimate e = MemoryPlanner.estimate(new MemoryRequest(l2, LayerPlan.identity(32), null,
                Workload.GENERATE, null, Precision.FP16, Precision.FP16, 1, 4096, 2));
        assertEquals(4096L * 512 * 1024, e.bytes("KV cache"));
        Architecture l3 = arch("l31", LLAMA31_8B);
        MemoryEstimate g = MemoryPlanner.estimate(new MemoryRequest(l3, LayerPlan.identity(32), null,
                Workload.GENERATE, null, Precision.BF16, Precision.BF16, 1, 4096, 2));
        assertEquals(4096L * 128 * 1024, g.bytes("KV cache"));
        LayerPlan skip = Variant.SKIP.plan(new Split(32, 8), 0, 3);
        assertEquals(17, skip.applications());
        MemoryEstimate s = MemoryPlanner.estimate(new MemoryRequest(l2, skip, null, Workload.GENERATE, null,
                Precision.FP16, Precision.FP16, 1, 4096, 2));
        assertEquals(17L * 4096 * 2 * 4096 * 2, s.bytes("KV cache"));
        LayerPlan repeat = Variant.MIDDLE_REPEAT.plan(new Split(32, 8), 0, 3);
        MemoryEstimate r = MemoryPlanner.estimate(new MemoryRequest(l2, repeat, null, Workload.GENERATE, null,
                Precision.FP16, Precision.FP16, 1, 4096, 2));
        assertEquals(repeat.applications() * 4096L * 2 * 4096 * 2, r.bytes("KV cache"), "a repeated block caches per application");
    }

    @Test
    void fitsComparesTheTotalWithTheDevice() throws IOException {
        Architecture a = arch("l7", LLAMA2_7B);
        MemoryEstimate e = MemoryPlanner.estimate(new MemoryRequest(a, LayerPlan.identity(32), null, Workload.EVAL,
                null, Precision.BF16, Precision.BF16, 1, 512, 2));
        assertTrue(e.fits(24_000_000_000L));
        assertTrue(!e.fits(8_000_000_000L));
        assertTrue(e.lines(24_000_000_000L).get(e.lines(24_000_000_000L).size() - 1).startsWith("fits in 24.00 GB: yes"));
    }

    @Test
    void badRequestsAreOneLineErrors() throws IOException {
        Architecture bge = ModelFamilies.architecture("default");
        IllegalArgumentException gen = assertThrows(IllegalArgumentException.class, () -> MemoryPlanner.estimate(
                new MemoryRequest(bge, LayerPlan.identity(12), null, Workload.GENERATE, null, Precision.FP32,
                        Precision.FP32, 1, 128, 2)));
        assertTrue(gen.getMessage().contains("do not generate"), gen.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MemoryRequest(bge, LayerPlan.identity(32), null,
                Workload.EVAL, null, Precision.FP32, Precision.FP32, 1, 128, 2), "a plan for another depth");
        assertThrows(IllegalArgumentException.class, () -> new MemoryRequest(bge, LayerPlan.identity(12), null,
                Workload.TRAIN, null, Precision.FP32, Precision.FP32, 1, 128, 2), "training without a policy");
        assertThrows(IllegalArgumentException.class, () -> Precision.parse("fp8"));
    }
}
