package painters.model.family;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import painters.model.bert.BertLoader;
import painters.model.plan.LayerPlan;

/**
 * Training FLOPs per token against parameter counts worked out by hand from each architecture's published shapes
 * (not from the layout the code reads): 6 x parameters applied + 6 x applications x context x hidden.
 */
class TrainingFlopsTest {

    @Test
    void anEncoderCountsItsBlockApplicationsAndNoHead() {
        LoadedModel bge = BertLoader.defaultModel();
        // BERT block, d = 384, ff = 1536: q, k, v, o (384 x 384 + 384 each), intermediate (384 x 1536 + 1536),
        // output (1536 x 384 + 384), two LayerNorms (2 x 384 each)
        long block = 4 * (384 * 384 + 384) + (384 * 1536 + 1536) + (1536 * 384 + 384) + 2 * (2 * 384);
        assertEquals(1_774_464, block);
        int ctx = 48;
        // M(5-7) is one application: 10 in all; a parallel step over the same blocks applies all three: 12
        assertEquals(6.0 * 10 * block + 6.0 * 10 * ctx * 384,
                bge.trainingFlopsPerToken(LayerPlan.parse("0-4,M(5-7),8-11", 12), ctx));
        assertEquals(6.0 * 12 * block + 6.0 * 12 * ctx * 384,
                bge.trainingFlopsPerToken(LayerPlan.parse("0-4,P(5-7),8-11", 12), ctx));
        assertEquals(6.0 * 18 * block + 6.0 * 18 * ctx * 384,
                bge.trainingFlopsPerToken(LayerPlan.parse("0-4,P(5-7)x3,8-11", 12), ctx));
    }

    @Test
    void aDecoderAddsItsTiedLmHead() {
        LoadedModel qwen = ModelFamilies.load(Path.of("src/test/resources/families/qwen2").toString());
        // Qwen2 block, d = 32, 4 heads of 8, 2 kv heads, ff = 64: q (32 x 32 + 32), k and v (16 x 32 + 16 each),
        // o (32 x 32, no bias), gate, up (64 x 32) and down (32 x 64), two RMSNorms (32 each)
        long block = (32 * 32 + 32) + 2 * (16 * 32 + 16) + 32 * 32 + 3 * (64 * 32) + 2 * 32;
        assertEquals(9344, block);
        long head = 96 * 32;        // tied: the embedding matrix, vocab 96
        int ctx = 16;
        assertEquals(6.0 * (3 * block + head) + 6.0 * 3 * ctx * 32,
                qwen.trainingFlopsPerToken(LayerPlan.parse("0,M(1-2),3", 4), ctx));
        assertEquals(6.0 * (4 * block + head) + 6.0 * 4 * ctx * 32,
                qwen.trainingFlopsPerToken(LayerPlan.identity(4), ctx));
    }
}
