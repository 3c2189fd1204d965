package painters.model.llama;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.decoder.*;
import painters.model.decoder.DecoderSpec;
import painters.model.decoder.TensorRole;
import painters.model.tokenizer.SentencePieceBpe;
import painters.model.weights.DType;
import painters.model.weights.SafetensorsWriter;
import painters.model.weights.TensorMap;

/** Checkpoint variants of the same model: sharded half precision, an untied head, a sliding window; tokenizers. */
class DecoderVariantsTest {

    static final int[] IDS = {1, 403, 407, 261, 378, 432, 383, 286, 261, 376, 298, 315};

    @Test
    void shardedHalfPrecisionCheckpointLoadsThroughTheIndex(@TempDir Path dir) throws Exception {
        DecoderModel m = Stories260K.hf();
        Map<String, INDArray> a = new LinkedHashMap<>();
        Map<String, INDArray> b = new LinkedHashMap<>();
        StringBuilder index = new StringBuilder("{\"metadata\": {}, \"weight_map\": {");
        int i = 0;
        for (Map.Entry<String, INDArray> e : m.weights().tensors().entrySet()) {
            String shard = i++ % 2 == 0 ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
            (shard.contains("00001-") ? a : b).put(e.getKey(), e.getValue());
            index.append(i > 1 ? "," : "").append('"').append(e.getKey()).append("\": \"").append(shard).append('"');
        }
        SafetensorsWriter.write(dir.resolve("model-00001-of-00002.safetensors"), a, DType.F16, Map.of());
        SafetensorsWriter.write(dir.resolve("model-00002-of-00002.safetensors"), b, DType.F16, Map.of());
        Files.writeString(dir.resolve("model.safetensors.index.json"), index.append("}}").toString());
        Files.copy(Stories260K.dir().resolve("hf/config.json"), dir.resolve("config.json"));
        Files.copy(Stories260K.dir().resolve("hf/tokenizer.model"), dir.resolve("tokenizer.model"));
        DecoderModel half = LlamaLoader.load(dir.toString());
        double diff = maxDiff(m.decoder().logits(DecoderBatch.rightPadded(List.of(IDS), 0)),
                half.decoder().logits(DecoderBatch.rightPadded(List.of(IDS), 0)));
        assertTrue(diff > 0 && diff < 0.05, "fp16 weights change logits a little: " + diff);
    }

    @Test
    void anUntiedHeadEqualToTheEmbeddingGivesTheSameLogits() {
        DecoderModel m = Stories260K.hf();
        DecoderConfig c = m.config();
        DecoderConfig untied = new DecoderConfig(c.modelType(), c.vocabSize(), c.hiddenSize(), c.intermediateSize(),
                c.numLayers(), c.numHeads(), c.numKvHeads(), c.headDim(), c.maxPositions(), c.normEps(), c.rope(),
                false, c.hiddenAct(), 0, c.bosTokenId(), c.eosTokenId());
        Map<String, INDArray> t = new LinkedHashMap<>(m.weights().tensors());
        t.put(DecoderSpec.llamaNames().name(TensorRole.LM_HEAD), t.get(DecoderSpec.llamaNames().name(TensorRole.EMBED)).dup());
        DecoderWeights w = DecoderWeights.from(untied, new TensorMap("untied", t));
        assertEquals(0.0, maxDiff(m.decoder().logits(DecoderBatch.rightPadded(List.of(IDS), 0)),
                DecoderGraph.of(w).logits(DecoderBatch.rightPadded(List.of(IDS), 0))));
        t.put(DecoderSpec.llamaNames().name(TensorRole.LM_HEAD), t.get(DecoderSpec.llamaNames().name(TensorRole.EMBED)).mul(2));
        assertTrue(maxDiff(m.decoder().logits(DecoderBatch.rightPadded(List.of(IDS), 0)),
                DecoderGraph.of(DecoderWeights.from(untied, new TensorMap("x2", t))).logits(
                        DecoderBatch.rightPadded(List.of(IDS), 0))) > 1, "the head is really used");
    }

    @Test
    void slidingWindowMasksKeysAtOrBeyondTheWindow() {
        DecoderBatch b = DecoderBatch.rightPadded(List.of(new int[] {5, 6, 7, 8}), 2);
        float[] bias = b.bias().dup().data().asFloat();        // [1,1,4,4]
        float m = DecoderBlocks.MASK_BIAS;
        assertArrayEquals(new float[] {0, m, m, m, 0, 0, m, m, m, 0, 0, m, m, m, 0, 0}, bias);
        // a window as long as the input changes nothing
        DecoderModel model = Stories260K.hf();
        DecoderConfig c = model.config();
        DecoderConfig windowed = new DecoderConfig("mistral", c.vocabSize(), c.hiddenSize(), c.intermediateSize(),
                c.numLayers(), c.numHeads(), c.numKvHeads(), c.headDim(), c.maxPositions(), c.normEps(), c.rope(),
                true, c.hiddenAct(), IDS.length, c.bosTokenId(), c.eosTokenId());
        DecoderWeights w = DecoderWeights.from(windowed, new TensorMap("w", model.weights().tensors()));
        assertEquals(0.0, maxDiff(model.decoder().logits(DecoderBatch.rightPadded(List.of(IDS), 0)),
                DecoderGraph.of(w).logits(DecoderBatch.rightPadded(List.of(IDS), IDS.length))));
        assertTrue(maxDiff(model.decoder().logits(DecoderBatch.rightPadded(List.of(IDS), 0)),
                DecoderGraph.of(w).logits(DecoderBatch.rightPadded(List.of(IDS), 3))) > 0.01);
    }

    @Test
    void bothTokenizerFilesEncodeLongTextIdenticallyAndRoundTrip() {
        SentencePieceBpe model = SentencePieceBpe.fromModelFile(Stories260K.dir().resolve("tok512.model"));
        SentencePieceBpe bin = SentencePieceBpe.fromLlama2c(Stories260K.dir().resolve("tok512.bin"), 512);
        String text = "Lily's mom said, \"Don't worry!\"\nThey went   to the café — 3.5 km — and saw 🐶 dogs.\n\t end";
        int[] a = model.encode(text);
        assertArrayEquals(a, bin.encode(text));
        assertEquals(text, model.decode(a), "byte fallback and spaces round-trip");
        // the text ends in " end": its last pieces spell it, the first of them carrying the word boundary
        String tail = model.decode(Arrays.copyOfRange(a, a.length - 3, a.length));
        assertTrue(tail.endsWith("end") && text.endsWith(tail), "last pieces decode to the text's end: \"" + tail + "\"");
        // a character missing from the vocabulary is spelled in UTF-8 bytes
        int[] dog = model.encode("🐶");
        assertEquals(5, dog.length, "dummy-prefix space + 4 bytes");
        assertEquals("<0xF0>", model.piece(dog[1]));
        assertEquals(0, model.encode("").length);
    }

    static double maxDiff(INDArray x, INDArray y) {
        return x.sub(y).amaxNumber().doubleValue();
    }
}
