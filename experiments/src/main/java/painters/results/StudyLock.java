package painters.results;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import painters.model.UserInputException;

/**
 * The lock a run holds on its study folder, so that two runs never write one folder: an operating-
 * system lock on {@code .lock} (released when the process ends, however it ends) whose content names
 * the owner (PID, host, start time). A second run refuses with that owner named.
 */
public final class StudyLock implements AutoCloseable {

    public static final String FILE = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private StudyLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the folder's lock, or refuses naming the run that holds it. */
    public static StudyLock acquire(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path f = dir.resolve(FILE);
        FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            String owner = Files.readString(f, StandardCharsets.UTF_8).strip();
            ch.close();
            throw new UserInputException(dir + " is in use by another run of this study (" + (owner.isEmpty()
                    ? "owner unknown" : owner) + "); wait for it to finish, or give this run another name (--name=...)");
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(owner().getBytes(StandardCharsets.UTF_8)), 0);
        ch.force(false);
        return new StudyLock(ch, l);
    }

    /** "PID 1234 on host h, since 2026-..." for this process. */
    static String owner() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = Files.readString(Path.of("/etc/hostname")).strip();       // no DNS lookup (it can hang)
            } catch (IOException | RuntimeException e) {
                host = "unknown host";
            }
        }
        return "PID " + ProcessHandle.current().pid() + " on " + host + ", since " + Instant.now() + " ("
                + ManagementFactory.getRuntimeMXBean().getName() + ")";
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
