package painters.model.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import painters.model.UserInputException;

/**
 * Text files the user gives (data rows, text lists, corpora, study files), read as strict UTF-8: a
 * missing file, a folder, an unreadable file or an invalid byte is a one-line error that names the
 * file (and the line and column of the bad byte), never a stack trace or silently replaced text.
 */
public final class Utf8Text {

    private Utf8Text() {}

    public static String read(Path file) {
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw new UserInputException(file + ": is a folder, not a file");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UserInputException(file + ": not found");
        } catch (AccessDeniedException e) {
            throw new UserInputException(file + ": permission denied");
        } catch (IOException e) {
            throw new UserInputException(file + ": cannot be read: " + e.getMessage(), e);
        }
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return d.decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new UserInputException(file + ":" + where(bytes) + ": not valid UTF-8 text");
        }
    }

    /** "line:column (byte 0xNN)" of the first byte that is not valid UTF-8 (column in bytes, from 1). */
    static String where(byte[] bytes) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult r = d.decode(in, out, true);
        int at = r.isError() ? in.position() : bytes.length;
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < at; i++) {
            if (bytes[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return line + ":" + (at - lineStart + 1) + (at < bytes.length ? " (byte 0x" + String.format("%02x",
                bytes[at] & 0xff) + ")" : "");
    }
}
