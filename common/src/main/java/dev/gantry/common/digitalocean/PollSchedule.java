package dev.gantry.common.digitalocean;

import dev.gantry.common.digitalocean.Deployment.Phase;

import java.time.Duration;
import java.time.Instant;

/**
 * When to look at a deployment again. A deployment changes at a few moments: its build ends, then the deployment
 * ends. Between them nothing worth a request happens, so the schedule polls rarely (1 s, growing to {@code quiet})
 * and every second around the moment the next change is due. That moment comes from the progress steps App
 * Platform reports (when the current stage started) and from how long the same stage took in a reference
 * deployment of the app (the one serving before this one). Without a reference it polls every second once the
 * deployment is deploying, the stage that ends it.
 *
 * <p>The rate limit is per token: 250 requests a minute and 5,000 an hour. Polling every second stays under the
 * first; the second is why the fast polling is bounded ({@link #FAST_LIMIT}, then every {@link #WARM}) and why the
 * quiet stretches are quiet: a 30-minute deployment costs about 200 requests, where polling every 2 s costs 900.
 */
final class PollSchedule {
    /** Around a due change. */
    static final Duration FAST = Duration.ofSeconds(1);
    /** After the fast stretch ran out, or once a change is late. */
    static final Duration WARM = Duration.ofSeconds(3);
    /** The longest stretch of polling every second. */
    static final Duration FAST_LIMIT = Duration.ofMinutes(3);
    /** The shortest lead before a due change: start polling fast this much before it. */
    static final Duration MIN_LEAD = Duration.ofSeconds(2);
    /** A due change this late is no longer expected soon. */
    static final Duration MIN_LATE = Duration.ofSeconds(5);

    private final Stages reference;
    private final Duration quiet;
    private Duration slow = FAST;
    private Instant fastSince;

    /** {@code reference}: an earlier deployment of the same app (null: none); {@code quiet}: the longest pause. */
    PollSchedule(Deployment reference, Duration quiet) {
        Stages r = reference == null ? null : Stages.of(reference);
        this.reference = r != null && r.deploy() != null ? r : null;
        this.quiet = quiet;
    }

    /** The pause before the next look, given the deployment as last seen at {@code now}. */
    Duration next(Deployment d, Instant now) {
        Phase phase = d.phaseOrUnknown();
        Stage due = dueChange(d, phase);
        if (due == null) {
            return phase == Phase.DEPLOYING ? fast(now) : slow();
        }
        Duration lead = max(MIN_LEAD, due.length().dividedBy(5));
        Instant from = due.at().minus(lead);
        if (now.isBefore(from)) {
            fastSince = null;
            Duration untilDue = Duration.between(now, from);
            Duration s = slow();
            return s.compareTo(untilDue) <= 0 ? s : max(untilDue, FAST);
        }
        Duration late = max(MIN_LATE, due.length().multipliedBy(3).dividedBy(10));
        if (!now.isAfter(due.at().plus(late))) return fast(now);
        // later than the reference suggests: look every few seconds until the stage changes
        fastSince = null;
        return phase == Phase.DEPLOYING ? WARM : slow();
    }

    private Duration fast(Instant now) {
        if (fastSince == null) fastSince = now;
        slow = Duration.ofSeconds(2); // after a fast stretch, the slow schedule starts short again
        return Duration.between(fastSince, now).compareTo(FAST_LIMIT) < 0 ? FAST : WARM;
    }

    private Duration slow() {
        Duration s = slow;
        long grown = s.toMillis() * 3 / 2;
        slow = Duration.ofMillis(Math.min(quiet.toMillis(), grown));
        return s;
    }

    /** The predicted end of the stage in progress, and how long that stage took in the reference. */
    record Stage(Instant at, Duration length) {
    }

    /** When the next change of {@code d} is due, from its progress steps and the reference; null when unknown. */
    Stage dueChange(Deployment d, Phase phase) {
        if (reference == null) return null;
        Stages now = Stages.of(d);
        Instant since = Stages.time(d.phaseLastUpdatedAt());
        return switch (phase) {
            case PENDING_BUILD -> reference.build() == null || now.created() == null ? null
                    : new Stage(now.created().plus(reference.beforeBuild()).plus(reference.build()), reference.build());
            case BUILDING -> {
                Instant start = now.buildStart() != null ? now.buildStart() : since;
                yield reference.build() == null || start == null ? null
                        : new Stage(start.plus(reference.build()), reference.build());
            }
            case PENDING_DEPLOY -> {
                Instant start = now.buildEnd() != null ? now.buildEnd() : since != null ? since : now.created();
                yield start == null ? null
                        : new Stage(start.plus(reference.beforeDeploy()).plus(reference.deploy()), reference.deploy());
            }
            case DEPLOYING -> {
                Instant start = now.deployStart() != null ? now.deployStart() : since;
                yield start == null ? null : new Stage(start.plus(reference.deploy()), reference.deploy());
            }
            default -> null;
        };
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /**
     * The stage boundaries of a deployment, from its root progress steps ({@code build}, {@code deploy}) and their
     * {@code started_at}/{@code ended_at}; a time App Platform leaves unset ({@code 0001-01-01}) is null.
     */
    record Stages(Instant created, Instant buildStart, Instant buildEnd, Instant deployStart, Instant deployEnd) {
        static Stages of(Deployment d) {
            Instant bs = null, be = null, ds = null, de = null;
            if (d.progress() != null && d.progress().steps() != null) {
                for (Deployment.Step s : d.progress().steps()) {
                    if ("build".equals(s.name())) {
                        bs = time(s.startedAt());
                        be = time(s.endedAt());
                    } else if ("deploy".equals(s.name())) {
                        ds = time(s.startedAt());
                        de = time(s.endedAt());
                    }
                }
            }
            return new Stages(time(d.createdAt()), bs, be, ds, de);
        }

        Duration build() {
            return between(buildStart, buildEnd);
        }

        Duration deploy() {
            return between(deployStart, deployEnd);
        }

        /** From creation to the start of the build. */
        Duration beforeBuild() {
            Duration d = between(created, buildStart);
            return d == null ? Duration.ZERO : d;
        }

        /** From the end of the build (or creation, without one) to the start of the deploy stage. */
        Duration beforeDeploy() {
            Duration d = between(buildEnd != null ? buildEnd : created, deployStart);
            return d == null ? Duration.ZERO : d;
        }

        private static Duration between(Instant a, Instant b) {
            if (a == null || b == null || b.isBefore(a)) return null;
            return Duration.between(a, b);
        }

        static Instant time(String t) {
            if (t == null || t.isBlank() || t.startsWith("0001-")) return null;
            try {
                return java.time.OffsetDateTime.parse(t).toInstant();
            } catch (java.time.format.DateTimeParseException e) {
                return null;
            }
        }
    }
}
