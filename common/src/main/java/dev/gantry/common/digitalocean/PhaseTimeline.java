package dev.gantry.common.digitalocean;

import dev.gantry.common.digitalocean.Deployment.Phase;
import dev.gantry.common.digitalocean.DeploymentWatcher.PhaseSpan;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The phases a deployment went through and how long each lasted, from what the polls saw. A phase starts at App
 * Platform's {@code phase_last_updated_at} when that is plausible (later than the previous phase's start, not in
 * the future of this poll beyond a few seconds of clock skew), else when a poll first saw it; it ends where the next one starts. Stand-ins and
 * sometimes App Platform itself leave {@code phase_last_updated_at} unset, or at the deployment's creation for every
 * phase; trusting it then would show every finished phase as 0 ms.
 */
final class PhaseTimeline {
    /** How far App Platform's clock may run ahead of ours before its times are not used. */
    private static final java.time.Duration SKEW = java.time.Duration.ofSeconds(5);
    private final List<PhaseSpan> spans = new ArrayList<>();

    /** Records the deployment as a poll saw it at {@code now} (our clock). */
    void observe(Deployment d, Instant now) {
        Phase phase = d.phaseOrUnknown();
        Instant reported = PollSchedule.Stages.time(d.phaseLastUpdatedAt());
        if (spans.isEmpty()) {
            Instant start = reported != null && !reported.isAfter(now.plus(SKEW)) ? reported : now;
            spans.add(new PhaseSpan(phase, start, phase.isTerminal() ? start : now));
            return;
        }
        PhaseSpan last = spans.get(spans.size() - 1);
        if (last.phase() == phase) {
            if (!phase.isTerminal() && now.isAfter(last.end())) spans.set(spans.size() - 1, new PhaseSpan(phase, last.start(), now));
            return;
        }
        boolean plausible = reported != null && reported.isAfter(last.start()) && !reported.isAfter(now.plus(SKEW));
        Instant start = plausible ? reported : now;
        spans.set(spans.size() - 1, new PhaseSpan(last.phase(), last.start(), start));
        spans.add(new PhaseSpan(phase, start, phase.isTerminal() ? start : now));
    }

    List<PhaseSpan> spans() {
        return List.copyOf(spans);
    }
}
