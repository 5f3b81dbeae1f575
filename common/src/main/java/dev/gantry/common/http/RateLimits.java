package dev.gantry.common.http;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * When a provider says we may try again: {@code Retry-After} (delay-seconds or an HTTP-date, RFC 9110 §10.2.3),
 * else a rate-limit reset header carrying Unix epoch seconds (DigitalOcean {@code ratelimit-reset}, GitHub and
 * Vercel {@code x-ratelimit-reset}), used only when the matching {@code remaining} header is 0 or the status is 429.
 */
public final class RateLimits {
    private RateLimits() {
    }

    public static Optional<Instant> retryAt(int status, Map<String, Collection<String>> headers, Instant now) {
        Optional<String> retryAfter = header(headers, "retry-after");
        if (retryAfter.isPresent()) {
            Optional<Instant> at = parseRetryAfter(retryAfter.get(), now);
            if (at.isPresent()) return at;
        }
        for (String prefix : new String[]{"ratelimit", "x-ratelimit"}) {
            Optional<String> reset = header(headers, prefix + "-reset");
            if (reset.isEmpty()) continue;
            String remaining = header(headers, prefix + "-remaining").orElse("");
            if (status == 429 || remaining.equals("0")) {
                try {
                    long v = Long.parseLong(reset.get().trim());
                    // epoch seconds; a small number is a delta (draft RateLimit header semantics)
                    return Optional.of(v > 1_000_000_000L ? Instant.ofEpochSecond(v) : now.plusSeconds(v));
                } catch (NumberFormatException ignored) {
                    // fall through
                }
            }
        }
        return Optional.empty();
    }

    static Optional<Instant> parseRetryAfter(String value, Instant now) {
        String v = value.trim();
        try {
            return Optional.of(now.plusSeconds(Math.max(0, Long.parseLong(v))));
        } catch (NumberFormatException e) {
            try {
                return Optional.of(ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException e2) {
                return Optional.empty();
            }
        }
    }

    static Optional<String> header(Map<String, Collection<String>> headers, String name) {
        for (Map.Entry<String, Collection<String>> e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return Optional.of(e.getValue().iterator().next());
            }
        }
        return Optional.empty();
    }
}
