package dev.gantry.common.vercel;

import dev.gantry.common.action.ActionException;
import dev.gantry.common.action.ExitCode;
import dev.gantry.common.action.Durations;
import dev.gantry.common.action.Log;
import dev.gantry.common.http.Deadline;
import dev.gantry.common.http.Time;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * Waits for a deployment to be live: polls {@code GET /v13/deployments/{id}} on the CLI's schedule (every 1 s for
 * 15 s, 5 s until 1 min, 15 s until 5 min, then 30 s; research §2.8) and follows the events stream at the same time
 * for build logs and early wake-ups. Live = {@code READY} with its aliases assigned. {@code ERROR} (with Vercel's
 * {@code errorCode}/{@code errorMessage}), {@code CANCELED}, {@code BLOCKED} (where the CLI polls forever),
 * {@code DELETED} and alias errors fail at once; the deadline always holds.
 */
public final class DeploymentWaiter {
    /** How many build log lines are kept for the report. */
    public static final int KEPT_LINES = 200;

    /** The outcome: the last state seen, the build log lines kept, how many polls it took. */
    public record Outcome(Deployment deployment, List<String> buildLog, int polls, Duration waited) {
    }

    /** The deployment ended in a failed state; carries the outcome for the report. */
    public static final class DeploymentFailed extends ActionException {
        private final transient Outcome outcome;

        DeploymentFailed(String message, String result, Outcome outcome) {
            super(ExitCode.FAILED, message, result, null, null);
            this.outcome = outcome;
        }

        public Outcome outcome() {
            return outcome;
        }
    }

    private final VercelClient client;
    private final Log log;
    private final Time time;
    private final Deadline stepDeadline;
    private final boolean followEvents;

    /** Time and the step's deadline come from the client's API. */
    public DeploymentWaiter(VercelClient client, Log log, boolean followEvents) {
        this.client = client;
        this.log = log;
        this.time = client.http().time();
        this.stepDeadline = client.http().deadline();
        this.followEvents = followEvents;
    }

    /** The CLI's polling delay after {@code elapsed} ({@code getPollingDelay}). */
    public static Duration pollDelay(Duration elapsed) {
        long s = elapsed.toSeconds();
        if (s < 15) return Duration.ofSeconds(1);
        if (s < 60) return Duration.ofSeconds(5);
        if (s < 300) return Duration.ofSeconds(15);
        return Duration.ofSeconds(30);
    }

    /** Waits at most {@code timeout}, and never past the step's deadline. */
    public Outcome await(String deploymentId, Duration timeout) {
        Instant start = time.now();
        Instant deadline = start.plus(timeout);
        String limit = "timeout: " + Durations.human(timeout);
        if (stepDeadline.at().isBefore(deadline)) {
            deadline = stepDeadline.at();
            if (stepDeadline.description() != null) limit = stepDeadline.description();
        }
        Semaphore wake = new Semaphore(0);
        Deque<String> pending = new ArrayDeque<>();
        Deque<String> kept = new ArrayDeque<>();
        EventStream stream = null;
        if (followEvents) {
            stream = client.events(deploymentId).start(e -> {
                if (e.isLog()) {
                    synchronized (pending) {
                        pending.add(e.text());
                    }
                }
                if (e.isSignal()) wake.release();
            }, why -> log.debug("events stream " + why));
        }
        String last = null;
        int polls = 0;
        Deployment d = null;
        try {
            while (true) {
                try {
                    d = client.deployment(deploymentId);
                } catch (Deadline.DeadlineException e) {
                    Outcome o = new Outcome(d, List.copyOf(kept), polls, Duration.between(start, time.now()));
                    throw new DeploymentFailed("Timed out waiting for deployment " + deploymentId + " to be ready ("
                            + limit + "); last state: " + (last == null ? "none seen" : last), "timeout", o);
                }
                polls++;
                flush(pending, kept);
                String state = describe(d);
                if (!state.equals(last)) {
                    log.info(deploymentId + ": " + state + " (" + Duration.between(start, time.now()).toSeconds() + "s)");
                    last = state;
                }
                if (d.isLive() || d.isStaged()) {
                    return new Outcome(d, List.copyOf(kept), polls, Duration.between(start, time.now()));
                }
                if (d.isFailed()) {
                    // the stream may still be delivering the last lines of the build
                    if (stream != null) {
                        pause(Duration.ofMillis(300), wake);
                        flush(pending, kept);
                    }
                    Outcome o = new Outcome(d, List.copyOf(kept), polls, Duration.between(start, time.now()));
                    throw new DeploymentFailed(failureMessage(d), "failure", o);
                }
                Instant now = time.now();
                if (!now.isBefore(deadline)) {
                    Outcome o = new Outcome(d, List.copyOf(kept), polls, Duration.between(start, now));
                    throw new DeploymentFailed("Timed out waiting for deployment " + deploymentId + " to be ready ("
                            + limit + "); last state: " + state, "timeout", o);
                }
                Duration delay = pollDelay(Duration.between(start, now));
                Duration left = Duration.between(now, deadline);
                pause(delay.compareTo(left) < 0 ? delay : left, wake); // the events stream may wake it early
                wake.drainPermits();
            }
        } finally {
            if (stream != null) stream.close();
            flush(pending, kept);
        }
    }

    private void flush(Deque<String> pending, Deque<String> kept) {
        List<String> lines;
        synchronized (pending) {
            if (pending.isEmpty()) return;
            lines = new ArrayList<>(pending);
            pending.clear();
        }
        log.untrusted(String.join("\n", lines));
        for (String l : lines) {
            kept.add(l);
            if (kept.size() > KEPT_LINES) kept.removeFirst();
        }
    }

    private void pause(Duration d, Semaphore wake) {
        try {
            time.sleeper().sleepUnlessWoken(d, wake);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }

    static String describe(Deployment d) {
        String s = d.readyState() == null ? "UNKNOWN" : d.readyState();
        if ("READY".equals(s)) s += d.isAliasAssigned() ? ", aliases assigned" : ", assigning aliases";
        return s;
    }

    static String failureMessage(Deployment d) {
        String state = d.readyState();
        StringBuilder b = new StringBuilder("Vercel deployment ").append(d.id());
        if (d.aliasError() != null) {
            b.append(" could not be aliased: ").append(d.aliasError().code()).append(": ").append(d.aliasError().message());
        } else if ("BLOCKED".equals(state)) {
            b.append(" is BLOCKED by Vercel");
            b.append(d.errorMessage() != null ? ": " + d.errorMessage()
                    : " (for example a plan limit or a team setting); it will not build until that is resolved");
        } else if ("CANCELED".equals(state)) {
            b.append(" was canceled");
        } else if ("DELETED".equals(state)) {
            b.append(" was deleted");
        } else if (d.checks() != null && d.checks().get("deployment-alias") != null) {
            b.append(": the deployment-alias check failed");
        } else {
            b.append(" failed (").append(state).append(')');
            if (d.errorCode() != null) b.append(": ").append(d.errorCode());
            if (d.errorMessage() != null) b.append(": ").append(d.errorMessage());
        }
        if (d.inspectorUrl() != null) b.append(". Inspect: ").append(d.inspectorUrl());
        return b.toString();
    }
}
