package dev.gantry.common.digitalocean;

import dev.gantry.common.action.Log;
import dev.gantry.common.digitalocean.Deployment.FailedStep;
import dev.gantry.common.digitalocean.Deployment.Phase;
import dev.gantry.common.http.Poller;
import dev.gantry.common.http.ProviderException;
import dev.gantry.common.http.Time;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Waits for a deployment to finish, with a deadline: polls it on a {@link PollSchedule} (rarely while nothing is
 * due, every second around the moment the build or the deployment is due to end, judged from a reference
 * deployment of the same app), logs a line at each phase or step change ({@code BUILDING 3/7}), and on failure
 * names the failing steps with their reasons and fetches the failing components' logs. Success is {@code ACTIVE}
 * only; {@code ERROR}, {@code CANCELED} and {@code SUPERSEDED} are failures. Used by do-deploy and rollback.
 */
public final class DeploymentWatcher {
    /** Consecutive failed polls tolerated (each already retried by the HTTP layer) before giving up. */
    static final int MAX_POLL_FAILURES = 5;

    private final AppPlatform platform;
    private final Log log;
    private final Duration timeout;
    private final Time time;
    private final Duration initialInterval;
    private final Duration maxInterval;
    private final LogPolicy buildLogs;
    private final LogPolicy deployLogs;
    private final boolean stageLogs;
    private final Deployment reference;

    /** When to print a stage's logs into the job log. Failing components' logs are always fetched for the report. */
    public enum LogPolicy {
        ALWAYS, ON_FAILURE, NEVER;

        boolean print(boolean failed) {
            return this == ALWAYS || (this == ON_FAILURE && failed);
        }
    }

    private DeploymentWatcher(Builder b) {
        this.platform = Objects.requireNonNull(b.platform);
        this.log = Objects.requireNonNull(b.log);
        this.timeout = b.timeout;
        this.time = platform.time();
        this.initialInterval = b.initialInterval;
        this.maxInterval = b.maxInterval;
        this.buildLogs = b.buildLogs;
        this.deployLogs = b.deployLogs;
        this.stageLogs = b.stageLogs;
        this.reference = b.reference;
    }

    public static Builder builder(AppPlatform platform, Log log) {
        return new Builder(platform, log);
    }

    /** A phase and how long it was observed. */
    public record PhaseSpan(Phase phase, Instant start, Instant end) {
        public Duration duration() {
            return Duration.between(start, end);
        }
    }

    /** Logs of one component and stage. */
    public record ComponentLog(String component, String type, DeploymentLogs.LogText logs) {
    }

    /**
     * How the wait ended. {@code timeout} is set (and {@code deployment} is the last state seen) when the deadline
     * passed; the caller reports, then throws it. {@code stageLogs}: the whole {@code BUILD} and {@code DEPLOY} logs
     * of every component (when the builder asked for them and the deployment ended), keyed by type. {@code app}: the
     * app as read right after an {@code ACTIVE} end (alongside the logs), or null.
     */
    public record Outcome(Deployment deployment, List<PhaseSpan> timeline, List<FailedStep> failedSteps,
                          List<ComponentLog> logs, Poller.PollTimeoutException timeout, Duration elapsed,
                          Map<String, DeploymentLogs.LogText> stageLogs, App app) {
        public boolean succeeded() {
            return timeout == null && deployment != null && deployment.phaseOrUnknown() == Phase.ACTIVE;
        }

        public Phase phase() {
            return deployment == null ? Phase.UNKNOWN : deployment.phaseOrUnknown();
        }

        /** One line: the phase and, on failure, the first failing step and its reason. */
        public String failureReason() {
            if (timeout != null) return timeout.getMessage();
            if (failedSteps.isEmpty()) {
                return switch (phase()) {
                    case SUPERSEDED -> "a newer deployment replaced it before it went live";
                    case CANCELED -> "it was canceled";
                    default -> "it ended in phase " + phase();
                };
            }
            FailedStep f = failedSteps.get(0);
            return "step '" + f.path() + "'" + (f.component() == null ? "" : " of component " + f.component())
                    + " failed: " + f.message();
        }
    }

    /** Waits for {@code deploymentId} of {@code appId} to end; never throws for a failed or timed-out deployment. */
    public Outcome watch(String appId, String deploymentId) {
        Instant start = time.now();
        Watch w = new Watch(appId, deploymentId);
        Poller.PollTimeoutException timedOut = w.poll();
        Deployment d = w.last;
        boolean failed = timedOut != null || d == null || d.phaseOrUnknown() != Phase.ACTIVE;
        List<FailedStep> failedSteps = d == null || d.progress() == null ? List.of() : d.progress().failedSteps();
        for (FailedStep f : failedSteps) {
            log.info("Deployment " + deploymentId + ": step '" + f.path() + "'"
                    + (f.component() == null ? "" : " (component " + f.component() + ")") + " failed: "
                    + f.message() + (f.reason() != null && f.reason().code() != null ? " [" + f.reason().code() + "]" : ""));
        }
        List<ComponentLog> logs = List.of();
        App app = null;
        if (timedOut == null && d != null) {
            // after a success the app is read (for its live URL) while the logs are fetched: one round trip less
            // between the end of the deployment and the end of the step
            try (ExecutorService side = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<App> after = failed ? null : side.submit(() -> platform.getApp(appId));
                if (stageLogs) {
                    for (String type : List.of("BUILD", "DEPLOY")) {
                        if (!w.stage.containsKey(type)) w.stage.put(type, platform.logs().fetch(appId, deploymentId, null, type));
                    }
                }
                logs = collectLogs(appId, deploymentId, failed, failedSteps, w.stage);
                app = after == null ? null : appOrNull(after);
            }
        }
        return new Outcome(d, w.timeline.spans(), failedSteps, logs, timedOut, Duration.between(start, time.now()),
                java.util.Collections.unmodifiableMap(w.stage), app);
    }

    /** One wait: the polls, what they saw, and the build logs read on the way. */
    private final class Watch {
        final String appId;
        final String deploymentId;
        final PhaseTimeline timeline = new PhaseTimeline();
        final PollSchedule schedule = new PollSchedule(reference, maxInterval);
        final Map<String, DeploymentLogs.LogText> stage = new LinkedHashMap<>();
        Deployment last;
        int failures;

        Watch(String appId, String deploymentId) {
            this.appId = appId;
            this.deploymentId = deploymentId;
        }

        /** Polls until the deployment ends; the timeout when the wait ran out first, else null. */
        Poller.PollTimeoutException poll() {
            Poller poller = Poller.waitingFor("deployment " + deploymentId).timeout(timeout)
                    .interval(initialInterval, maxInterval, 1.5).log(log).deadline(platform.deadline()).build();
            try {
                poller.until(this::look, d -> d.phaseOrUnknown().isTerminal(),
                        d -> "deployment " + shortId(deploymentId) + ": " + d.describe(), d -> schedule.next(d, time.now()));
                return null;
            } catch (Poller.PollTimeoutException e) {
                return e;
            }
        }

        /** One look; a passing failure (already retried by the HTTP layer) is tolerated a few times in a row. */
        Deployment look() {
            Deployment d;
            try {
                d = platform.getDeployment(appId, deploymentId);
                failures = 0;
            } catch (ProviderException e) {
                if (!e.isTransient() || ++failures >= MAX_POLL_FAILURES || last == null) throw e;
                log.warning("Could not read the deployment (" + e.getMessage() + "); still waiting");
                d = last;
            }
            timeline.observe(d, time.now());
            last = d;
            if (stageLogs && !stage.containsKey("BUILD") && !d.phaseOrUnknown().isTerminal()) {
                buildLogsOnceBuilt(appId, deploymentId, d, stage);
            }
            return d;
        }
    }

    /** The app the side read got, or null when it failed (the caller reads it again, with its own retries). */
    private static App appOrNull(Future<App> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * The build logs as soon as the build is over (the deployment is in its deploy stage): read while the watcher
     * would only wait anyway, they are not between the end of the deployment and the end of the step.
     */
    private void buildLogsOnceBuilt(String appId, String deploymentId, Deployment d, Map<String, DeploymentLogs.LogText> stage) {
        Phase p = d.phaseOrUnknown();
        if (p != Phase.PENDING_DEPLOY && p != Phase.DEPLOYING) return;
        boolean built = d.progress() != null && d.progress().steps() != null && d.progress().steps().stream()
                .anyMatch(s -> "build".equals(s.name()) && s.status() == Deployment.StepStatus.SUCCESS);
        stage.put("BUILD", built ? platform.logs().fetch(appId, deploymentId, null, "BUILD")
                : new DeploymentLogs.LogText("", "no build logs (that stage did not run)"));
    }

    /**
     * The logs for the report and the job log: on failure, each failing component's (taken from the stage logs
     * when they were fetched, else fetched on their own), printed unless the policy is {@code never}; the whole
     * stage's when the policy says {@code always} (or on a failure without a failing step).
     */
    private List<ComponentLog> collectLogs(String appId, String deploymentId, boolean failed,
                                           List<FailedStep> failedSteps, Map<String, DeploymentLogs.LogText> stage) {
        List<ComponentLog> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        if (failed) {
            for (FailedStep f : failedSteps) {
                if (f.component() == null || !seen.add(f.component() + "/" + f.logType())) continue;
                DeploymentLogs.LogText whole = stage.get(f.logType());
                DeploymentLogs.LogText t = whole == null ? null : whole.ofComponent(f.component());
                if (t == null) t = platform.logs().fetch(appId, deploymentId, f.component(), f.logType());
                out.add(new ComponentLog(f.component(), f.logType(), t));
                if (policy(f.logType()).print(true)) print(f.component(), f.logType(), t);
            }
        }
        for (String type : List.of("BUILD", "DEPLOY")) {
            boolean wanted = failed ? failedSteps.isEmpty() && policy(type).print(true) : policy(type).print(false);
            if (!wanted) continue;
            DeploymentLogs.LogText t = stage.containsKey(type) ? stage.get(type)
                    : platform.logs().fetch(appId, deploymentId, null, type);
            out.add(new ComponentLog(null, type, t));
            print(null, type, t);
        }
        return out;
    }

    private LogPolicy policy(String type) {
        return type.equals("BUILD") ? buildLogs : deployLogs;
    }

    private void print(String component, String type, DeploymentLogs.LogText t) {
        log.group(type.toLowerCase() + " logs" + (component == null ? "" : ": " + component));
        try {
            if (t.isEmpty()) {
                log.info(t.note() == null ? "(empty)" : "(" + t.note() + ")");
            } else {
                log.untrusted(t.text());
                if (t.note() != null) log.info("(" + t.note() + ")");
            }
        } finally {
            log.endGroup();
        }
    }

    /**
     * Waits (within {@code timeout}) until an app with an HTTP component has its {@code live_url}; an app without
     * one (workers, jobs) is returned at once, since it never gets a URL.
     */
    public App awaitLiveUrl(String appId, Duration timeout) {
        return awaitLiveUrl(platform.getApp(appId), timeout);
    }

    /** As {@link #awaitLiveUrl(String, Duration)}, starting from {@code app} as just read. */
    public App awaitLiveUrl(App app, Duration timeout) {
        String appId = app.id();
        if (app.hasLiveUrl() || app.spec() == null || !app.spec().hasHttpComponents()) return app;
        return Poller.waitingFor("the live URL of app " + app.name()).timeout(timeout)
                .interval(initialInterval, maxInterval, 1.5).log(log).deadline(platform.deadline()).build()
                .until(() -> platform.getApp(appId), App::hasLiveUrl,
                        a -> a.hasLiveUrl() ? "live at " + a.liveUrl() : "waiting for the live URL");
    }

    static String shortId(String id) {
        return id != null && id.length() > 8 ? id.substring(0, 8) : String.valueOf(id);
    }

    public static final class Builder {
        private final AppPlatform platform;
        private final Log log;
        private Duration timeout = Duration.ofMinutes(30);
        private Duration initialInterval = Duration.ofSeconds(1);
        private Duration maxInterval = Duration.ofSeconds(10);
        private LogPolicy buildLogs = LogPolicy.ON_FAILURE;
        private LogPolicy deployLogs = LogPolicy.ON_FAILURE;
        private boolean stageLogs;
        private Deployment reference;

        private Builder(AppPlatform platform, Log log) {
            this.platform = platform;
            this.log = log;
        }

        public Builder timeout(Duration d) {
            this.timeout = d;
            return this;
        }

        /** The first pause, and the longest pause while no change is due. */
        public Builder interval(Duration initial, Duration max) {
            this.initialInterval = initial;
            this.maxInterval = max;
            return this;
        }

        /**
         * An earlier deployment of the same app (the one serving before), whose stage lengths tell when the build
         * and the deployment are due to end; the watcher polls fast around those moments. Null: none (a new app).
         */
        public Builder reference(Deployment d) {
            this.reference = d;
            return this;
        }

        /** Also fetch the whole {@code BUILD} and {@code DEPLOY} logs once the deployment ended ({@link Outcome#stageLogs}). */
        public Builder stageLogs(boolean v) {
            this.stageLogs = v;
            return this;
        }

        public Builder buildLogs(LogPolicy p) {
            this.buildLogs = p;
            return this;
        }

        public Builder deployLogs(LogPolicy p) {
            this.deployLogs = p;
            return this;
        }

        public DeploymentWatcher build() {
            return new DeploymentWatcher(this);
        }
    }
}
