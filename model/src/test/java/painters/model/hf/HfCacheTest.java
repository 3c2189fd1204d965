package painters.model.hf;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import painters.model.ModelFormatException;

/** {@code org/name[@revision]} resolved through a Hugging Face hub cache laid out here, as huggingface_hub lays it out. */
class HfCacheTest {

    @Test
    void resolvesMainRevisionsAndCommitsUnderEachCacheVariable(@TempDir Path tmp) throws Exception {
        Path hub = tmp.resolve("hub");
        Path repo = hub.resolve("models--Qwen--Qwen2.5-0.5B");
        Files.createDirectories(repo.resolve("snapshots/aaa111"));
        Files.createDirectories(repo.resolve("snapshots/bbb222"));
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), "aaa111\n");
        Files.writeString(repo.resolve("refs/v2"), "bbb222");
        Map<String, String> env = Map.of("HF_HUB_CACHE", hub.toString());
        assertEquals(repo.resolve("snapshots/aaa111").toString(), HfCache.resolve("Qwen/Qwen2.5-0.5B", env, "/none"));
        assertEquals(repo.resolve("snapshots/bbb222").toString(), HfCache.resolve("Qwen/Qwen2.5-0.5B@v2", env, "/none"));
        assertEquals(repo.resolve("snapshots/bbb222").toString(), HfCache.resolve("Qwen/Qwen2.5-0.5B@bbb222", env, "/none"));
        // HF_HOME/hub, then ~/.cache/huggingface/hub
        assertEquals(repo.resolve("snapshots/aaa111").toString(),
                HfCache.resolve("Qwen/Qwen2.5-0.5B", Map.of("HF_HOME", tmp.toString()), "/none"));
        Path home = tmp.resolve("home");
        Path homeHub = home.resolve(".cache/huggingface/hub/models--org--m/snapshots/c1");
        Files.createDirectories(homeHub);
        Files.createDirectories(home.resolve(".cache/huggingface/hub/models--org--m/refs"));
        Files.writeString(home.resolve(".cache/huggingface/hub/models--org--m/refs/main"), "c1");
        assertEquals(homeHub.toString(), HfCache.resolve("org/m", Map.of(), home.toString()));
    }

    @Test
    void pathsAndOtherArgumentsAreLeftAlone(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("org/name"));
        assertEquals(dir.toString(), HfCache.resolve(dir.toString(), Map.of(), "/none"));
        assertEquals("default", HfCache.resolve("default", Map.of(), "/none"));
        assertEquals("model.bin", HfCache.resolve("model.bin", Map.of(), "/none"));
    }

    @Test
    void aNameNotInTheCacheSaysWhereItLooked(@TempDir Path tmp) throws Exception {
        Map<String, String> env = Map.of("HF_HUB_CACHE", tmp.toString());
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> HfCache.resolve("EleutherAI/pythia-160m", env, "/none"));
        assertTrue(e.getMessage().contains(tmp.resolve("models--EleutherAI--pythia-160m").toString())
                && !e.getMessage().contains("\n"), e.getMessage());
        Files.createDirectories(tmp.resolve("models--EleutherAI--pythia-160m/snapshots/x"));
        e = assertThrows(ModelFormatException.class, () -> HfCache.resolve("EleutherAI/pythia-160m@step1000", env, "/none"));
        assertTrue(e.getMessage().contains("step1000") && e.getMessage().contains("snapshots"), e.getMessage());
    }
}
