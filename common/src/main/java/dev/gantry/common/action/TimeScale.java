package dev.gantry.common.action;

import dev.gantry.common.http.Sleeper;

import java.time.Duration;

/**
 * How long the action really pauses between polls and retries. {@code GANTRY_TIME_SCALE} (a factor in (0, 1],
 * default 1) shortens every pause for the local sandbox and the end-to-end tests, whose simulators move their own
 * clocks; deadlines (the {@code timeout} inputs) are never scaled. Shared by every action that polls a provider.
 */
public record TimeScale(double factor) {
    public static final String VARIABLE = "GANTRY_TIME_SCALE";

    public static TimeScale from(String value) {
        if (value == null || value.isBlank()) return new TimeScale(1);
        try {
            double f = Double.parseDouble(value.trim());
            if (f > 0 && f <= 1) return new TimeScale(f);
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new InputException(null, VARIABLE + " must be a number in (0, 1], got '" + value + "'");
    }

    public Sleeper sleeper() {
        if (factor == 1) return Sleeper.SYSTEM;
        return d -> Sleeper.SYSTEM.sleep(Duration.ofNanos((long) (d.toNanos() * factor)));
    }
}
