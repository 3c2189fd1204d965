package painters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code plan-memory} from a bare config.json (the table, the verdict, one-line errors), {@code doctor}, --dtype. */
class PlanMemoryCommandTest {

    static final String LLAMA2_7B = "{\"model_type\":\"llama\",\"hidden_size\":4096,\"intermediate_size\":11008,"
            + "\"num_hidden_layers\":32,\"num_attention_heads\":32,\"num_key_value_heads\":32,\"vocab_size\":32000,"
            + "\"torch_dtype\":\"float16\"}";

    @Test
    void aConfigAloneGivesTheTableAndTheVerdict(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("config.json"), LLAMA2_7B);
        CliTest.Run r = CliTest.run("plan-memory", "--model", dir.toString(), "--dtype", "bf16", "--compute", "bf16",
                "--batch", "1", "--seq", "512", "--device-memory", "24GB");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("6,738,415,616 parameters, stored as float16"), r.out());
        assertTrue(r.out().contains("frozen weights           13.48 GB"), r.out());
        assertTrue(r.out().contains("fits in 24.00 GB: yes"), r.out());
        CliTest.Run small = CliTest.run("plan-memory", "--model", dir.toString(), "--dtype", "fp32", "--batch", "1",
                "--seq", "512", "--device-memory", "16GiB");
        assertTrue(small.out().contains("fits in 17.18 GB: NO"), small.out());
        CliTest.Run ft = CliTest.run("plan-memory", "--model", dir.resolve("config.json").toString(), "--policy",
                "lora:8:q,v", "--variant", "skip", "--split", "8", "--batch", "1", "--seq", "256");
        assertEquals(0, ft.code(), ft.err());
        assertTrue(ft.out().contains("LoRA adapters"), ft.out());
        assertTrue(ft.out().contains("plan      0-8,24-31 (17 block applications"), ft.out());
    }

    @Test
    void badSizesAndWorkloadsAreOneLineErrors(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("config.json"), LLAMA2_7B);
        ErrorMessagesTest.oneLine(CliTest.run("plan-memory", "--model", dir.toString(), "--device-memory", "lots"),
                "--device-memory", "lots");
        ErrorMessagesTest.oneLine(CliTest.run("plan-memory", "--model", dir.toString(), "--workload", "eval",
                "--policy", "all"), "--policy applies to --workload train");
        ErrorMessagesTest.oneLine(CliTest.run("plan-memory", "--workload", "generate"), "do not generate");
        ErrorMessagesTest.oneLine(CliTest.run("plan-memory", "--model", dir.toString(), "--dtype", "fp8"),
                "unknown dtype \"fp8\"");
        // a sequence the model cannot take, and a workload whose bytes would overflow: refused, never a negative total
        ErrorMessagesTest.oneLine(CliTest.run("plan-memory", "--seq", "100000"), "--seq 100000", "at most 512 positions");
        ErrorMessagesTest.oneLine(CliTest.run("plan-memory", "--batch", "2000000000", "--seq", "2000000000"), "--seq");
        ErrorMessagesTest.oneLine(CliTest.run("plan-memory", "--batch", "2000000000", "--seq", "512", "--policy", "all"),
                "batch 2000000000 x seq 512", "10^18 bytes");
        CliTest.Run big = CliTest.run("plan-memory", "--batch", "100000", "--seq", "512");
        assertEquals(0, big.code(), big.err());
        assertTrue(big.out().lines().anyMatch(l -> l.strip().startsWith("total") && !l.contains("-")), big.out());
    }

    @Test
    void doctorDescribesTheCpuBuild() {
        CliTest.Run r = CliTest.run("doctor");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("backend    CpuBackend (org.nd4j:nd4j-native:1.0.0-M2.1)"), r.out());
        assertTrue(r.out().contains("gpus       none used: this is the CPU build"), r.out());
    }

    /** --dtype holds the weights in half precision (half the bytes); --prompt is a sentence encoder's. */
    @Test
    void describeShowsTheWeightsPrecisionAndThePrompt() {
        CliTest.Run r = CliTest.run("describe", "--dtype", "bf16", "--prompt", "query: ");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("33,212,160 parameters (66.4 MB as bf16)"), r.out());
        assertTrue(r.out().contains("prompt \"query: \""), r.out());
        ErrorMessagesTest.oneLine(CliTest.run("describe", "--dtype", "int8"), "unknown dtype \"int8\"");
    }
}
