package dev.gantry.common.action;

import java.time.Duration;

/**
 * The one way a duration is written for a person: in the syntax the duration inputs accept, so a message can be
 * pasted back into a {@code timeout:}. {@code 250ms}, {@code 4.2s} (one decimal under ten seconds), {@code 42s},
 * {@code 1m30s}, {@code 2h05m}.
 */
public final class Durations {
    private Durations() {
    }

    public static String human(Duration d) {
        if (d == null) return "";
        long ms = d.toMillis();
        if (ms < 0) return "-" + human(d.negated());
        if (ms == 0) return "0s";
        if (ms < 1000) return ms + "ms";
        if (ms < 10_000 && ms % 1000 != 0) return String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
        long s = ms / 1000;
        if (s < 60) return s + "s";
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long rest = s % 60;
        if (h > 0) return h + "h" + String.format(java.util.Locale.ROOT, "%02dm", m) + (rest > 0 ? String.format(java.util.Locale.ROOT, "%02ds", rest) : "");
        return m + "m" + (rest > 0 ? String.format(java.util.Locale.ROOT, "%02ds", rest) : "");
    }
}
