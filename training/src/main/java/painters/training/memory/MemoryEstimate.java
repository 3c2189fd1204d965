package painters.training.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A memory plan: named components in bytes, each with how it was counted, and their total.
 *
 * @param request    what was planned
 * @param components the parts, in print order
 */
public record MemoryEstimate(MemoryRequest request, List<Component> components) {

    /** One part of the total. */
    public record Component(String name, long bytes, String how) {}

    public MemoryEstimate {
        components = List.copyOf(components);
    }

    public long total() {
        return components.stream().mapToLong(Component::bytes).sum();
    }

    /** The component named {@code name}, in bytes (0 when absent). */
    public long bytes(String name) {
        return components.stream().filter(c -> c.name().equals(name)).mapToLong(Component::bytes).sum();
    }

    public boolean fits(long deviceBytes) {
        return total() <= deviceBytes;
    }

    /** The plan as text lines: one per component, the total, and the verdict against {@code deviceBytes} (0: none). */
    public List<String> lines(long deviceBytes) {
        List<String> out = new ArrayList<>();
        for (Component c : components) {
            out.add(String.format(Locale.ROOT, "  %-22s %10s   %s", c.name(), gb(c.bytes()), c.how()));
        }
        out.add(String.format(Locale.ROOT, "  %-22s %10s", "total", gb(total())));
        if (deviceBytes > 0) {
            out.add(String.format(Locale.ROOT, "fits in %s: %s, %s of %s", gb(deviceBytes).strip(),
                    fits(deviceBytes) ? "yes" : "NO", gb(total()).strip(), gb(deviceBytes).strip()));
        }
        return out;
    }

    /** Bytes as decimal gigabytes (or megabytes below 0.1 GB). */
    public static String gb(long bytes) {
        return bytes < 100_000_000L ? String.format(Locale.ROOT, "%.1f MB", bytes / 1e6)
                : String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
    }
}
