package dev.gantry.common.digitalocean;

import dev.gantry.common.digitalocean.Deployment.Phase;

import java.time.Duration;
import java.time.Instant;

/**
 * When to look at a deployment again. What matters is the moment it ends, and it ends in its deploy stage: so the
 * schedule polls rarely (1 s, growing to {@code quiet}) until shortly before that end is due and every
 * {@link #FAST} around it. When it is due comes from the progress steps App Platform reports (when the stages
 * started and ended) and from how long the same stages took in a reference deployment of the app (the one serving
 * before this one). Without a reference it polls every {@link #FAST} once the deployment is deploying.
 *
 * <p>The rate limit is per token: 250 requests a minute and 5,000 an hour. Polling every {@link #FAST} stays far
 * under the first; the second is why the fast polling is bounded ({@link #FAST_LIMIT}, then every {@link #WARM})
 * and why the quiet stretches are quiet: a 30-minute deployment costs a few hundred requests, where polling every
 * 2 s (app_action) costs 900.
 */
final class PollSchedule {
    /** Around the due end: with an answer's round trip of 0.1-0.2 s, a look every ~0.65 s, the end seen ~0.5 s after it. */
    static final Duration FAST = Duration.ofMillis(500);
    /** After the fast stretch ran out, or once the end is late. */
    static final Duration WARM = Duration.ofSeconds(3);
    /** The longest stretch of fast polling. */
    static final Duration FAST_LIMIT = Duration.ofMinutes(3);
    /** The shortest lead before the due end. */
    static final Duration MIN_LEAD = Duration.ofSeconds(2);
    /** An end this late is no longer expected soon. */
    static final Duration MIN_LATE = Duration.ofSeconds(5);

    private final Stages reference;
    private final Duration quiet;
    private Duration slow = Duration.ofSeconds(1);
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
        Due due = dueEnd(d, phase);
        if (due == null) return phase == Phase.DEPLOYING ? fast(now) : slow();
        Instant from = due.at().minus(max(MIN_LEAD, due.deployLength().dividedBy(5)));
        if (now.isBefore(from)) {
            // quiet, but awake in time for the window before the due end
            fastSince = null;
            Duration s = slow();
            Duration untilWindow = Duration.between(now, from);
            return s.compareTo(untilWindow) <= 0 ? s : max(untilWindow, FAST);
        }
        if (phase != Phase.DEPLOYING) return slow(); // not deploying yet: the prediction will be made again then
        Duration late = max(MIN_LATE, due.deployLength().multipliedBy(3).dividedBy(10));
        if (!now.isAfter(due.at().plus(late))) return fast(now);
        fastSince = null;
        return WARM; // later than the reference suggests: every few seconds until it ends
    }

    private Duration fast(Instant now) {
        if (fastSince == null) fastSince = now;
        slow = Duration.ofSeconds(2); // after a fast stretch, the slow schedule starts short again
        return Duration.between(fastSince, now).compareTo(FAST_LIMIT) < 0 ? FAST : WARM;
    }

    private Duration slow() {
        Duration s = slow;
        slow = Duration.ofMillis(Math.min(quiet.toMillis(), s.toMillis() * 3 / 2));
        return s;
    }

    /** When the deployment is due to end, and how long the reference's deploy stage took. */
    record Due(Instant at, Duration deployLength) {
    }

    /** When {@code d} is due to end, from its progress steps and the reference; null when that cannot be told. */
    Due dueEnd(Deployment d, Phase phase) {
        if (reference == null) return null;
        Stages now = Stages.of(d);
        Instant since = Stages.time(d.phaseLastUpdatedAt());
        Duration deploy = reference.deploy();
        Instant deployStart = switch (phase) {
            case PENDING_BUILD -> reference.build() == null || now.created() == null ? null
                    : now.created().plus(reference.beforeBuild()).plus(reference.build()).plus(reference.beforeDeploy());
            case BUILDING -> {
                Instant start = now.buildStart() != null ? now.buildStart() : since;
                yield reference.build() == null || start == null ? null
                        : start.plus(reference.build()).plus(reference.beforeDeploy());
            }
            case PENDING_DEPLOY -> {
                Instant built = now.buildEnd() != null ? now.buildEnd() : since != null ? since : now.created();
                yield built == null ? null : built.plus(reference.beforeDeploy());
            }
            case DEPLOYING -> now.deployStart() != null ? now.deployStart() : since;
            default -> null;
        };
        return deployStart == null ? null : new Due(deployStart.plus(deploy), deploy);
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
