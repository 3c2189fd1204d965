package painters.model.weights;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Stream;
import painters.model.ModelFormatException;

/** SHA-256 checksums of checkpoint files, for provenance. */
public final class Checksums {

    private Checksums() {}

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of a file, hex. */
    public static String sha256Of(Path file) {
        MessageDigest md = sha256();
        try (InputStream in = new DigestInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** One checksum for all {@code *.safetensors} files of a directory: SHA-256 over their sorted SHA-256s. */
    public static String ofSafetensors(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            MessageDigest md = sha256();
            files.filter(f -> f.toString().endsWith(".safetensors")).sorted()
                    .forEach(f -> md.update(HexFormat.of().parseHex(sha256Of(f))));
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new ModelFormatException(dir + ": " + e.getMessage(), e);
        }
    }
}
