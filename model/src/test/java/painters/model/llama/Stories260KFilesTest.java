package painters.model.llama;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * The stories260K files the golden tests read are the ones the goldens were made from: their SHA-256 pinned here
 * (a changed checkpoint or golden file would otherwise pass or fail for the wrong reason).
 */
class Stories260KFilesTest {

    static final Map<String, String> PINNED = new TreeMap<>(Map.of(
            "golden/hf_reference.json", "0aaac8842c934dba192f4fea71a142b0ea4a7a6e238647c8b308e2bb021a08fc",
            "golden/llama2c_reference.json", "c9367ed99e3d4359ee717b3fbe582c1ad09c1aea4b5a3abcc6c93cc75f468719",
            "stories260K.bin", "b0a507e7ad0f626624f17112325e66691f9076d622e1d3274d103d00299f2696",
            "hf/model.safetensors", "407a7c581bdd66972383ce9ad24857713fb98786d06ea564a2fe9b34ebe77dfd",
            "hf/config.json", "32b666e1d7a470fec260baf009e0ef60271cfda3c4caaa600d393c8de66db970",
            "tok512.model", "822b28dcdee7b4f2de3332e0066a3f33688e08afb26e9e7808a58aa6426bd55b"));

    @Test
    void theFilesAreTheOnesTheGoldensWereMadeFrom() throws Exception {
        Path dir = Stories260K.dir();
        Map<String, String> got = new TreeMap<>();
        for (String f : PINNED.keySet()) {
            got.put(f, sha256(Files.readAllBytes(dir.resolve(f))));
        }
        assertEquals(PINNED, got);
    }

    /** Negative control: one byte more changes the digest. */
    @Test
    void theDigestSeesOneByte() throws Exception {
        byte[] b = Files.readAllBytes(Stories260K.dir().resolve("hf/config.json"));
        byte[] c = Arrays.copyOf(b, b.length + 1);
        assertEquals(PINNED.get("hf/config.json"), sha256(b));
        Assertions.assertNotEquals(PINNED.get("hf/config.json"), sha256(c));
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
