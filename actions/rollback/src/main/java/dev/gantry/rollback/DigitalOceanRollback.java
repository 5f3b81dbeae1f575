package dev.gantry.rollback;

import dev.gantry.common.action.Durations;
import dev.gantry.common.action.InputException;
import dev.gantry.common.action.Log;
import dev.gantry.common.digitalocean.App;
import dev.gantry.common.digitalocean.AppPlatform;
import dev.gantry.common.digitalocean.AppsApi;
import dev.gantry.common.digitalocean.Deployment;
import dev.gantry.common.digitalocean.Deployment.Phase;
import dev.gantry.common.digitalocean.DeploymentWatcher;
import dev.gantry.common.http.ProviderException;

import java.net.URI;
import dev.gantry.common.http.Deadline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * App Platform's rollback (research §2.6): validate first ({@code /rollback/validate}, printing its conditions and
 * warnings), roll back (a new deployment, cause {@code MANUAL_ROLLBACK}), and wait for it with the same
 * {@link DeploymentWatcher} as do-deploy. The app stays pinned unless {@code commit: true} (committed only after
 * the verification passed); {@code revert: true} undoes a pinned rollback.
 */
final class DigitalOceanRollback implements RollbackProvider {
    /** How many deployments (newest first) the automatic choice looks through. */
    static final int HISTORY = 50;
    /** Conditions that mean the target itself can never be rolled back to (the {@code target} input is wrong). */
    private static final Set<String> TARGET_CONDITIONS = Set.of("incompatible_phase", "incompatible_result",
            "exceeded_revision_limit");

    private final Log log;
    private final Settings s;
    private final AppPlatform platform;
    private final String appName;
    private final String appId;
    private final Deadline deadline;
    private App app;

    DigitalOceanRollback(Log log, Settings s, URI apiUrl, String token, String appName, String appId, Deadline deadline) {
        this.log = log;
        this.s = s;
        this.appName = appName;
        this.appId = appId;
        this.deadline = deadline;
        this.platform = AppPlatform.connect(apiUrl, token, log, deadline);
    }

    @Override
    public String name() {
        return "DigitalOcean";
    }

    @Override
    public String key() {
        return "digitalocean";
    }

    @Override
    public String defaultEnvironment() {
        return app == null ? (appName.isEmpty() ? appId : appName) : app.name();
    }

    // ---- plan -----------------------------------------------------------------------------------------------------

    @Override
    public Plan plan() {
        app = resolveApp();
        Deployment active = app.activeDeployment();
        Deployment pinned = app.pinnedDeployment();
        String subject = "app " + app.name() + " (" + AppPlatform.requireId("app", app.id()) + ")";
        String activeId = active == null ? null : AppPlatform.requireId("deployment", active.id());
        if (pinned != null) AppPlatform.requireId("deployment", pinned.id());
        log.info(("App " + app.name() + " (" + app.id() + "): active deployment "
                + (active == null ? "none" : describe(active))
                + (pinned == null ? "" : "; pinned to rollback deployment " + describe(pinned))));

        if (s.revert()) {
            if (pinned == null) {
                throw new Rejected("rejected", "revert", "Input 'revert' asks to undo a rollback, but app " + app.name()
                        + " has no pinned rollback (only a rollback without commit can be reverted)", List.of(), activeId);
            }
            return new Plan(Operation.REVERT, subject, pinned.id(), describe(pinned), null,
                    "a new deployment of the app spec from before the rollback", false, List.of(),
                    List.of("App Platform deploys the spec from before the rollback again and unpins the app."));
        }
        if (s.commit() && s.target().isEmpty() && pinned != null) {
            return new Plan(Operation.COMMIT, subject, null, null, pinned.id(), describe(pinned), false, List.of(),
                    List.of("The pinned rollback to deployment " + pinned.id() + " becomes permanent: the app is "
                            + "unpinned and deploys again on push."));
        }

        List<Deployment> history = platform.listDeployments(app.id(), HISTORY);
        Deployment target;
        boolean automatic = s.target().isEmpty();
        if (!automatic) {
            target = explicitTarget(history);
            if (activeId != null && activeId.equals(target.id())) {
                return new Plan(Operation.NONE, subject, activeId, describe(active), target.id(), describe(target), false,
                        List.of(), List.of("Deployment " + target.id() + " is the active deployment already: nothing to do."));
            }
        } else {
            if (active == null) {
                throw new Rejected("no-candidate", null, "App " + app.name() + " has no active deployment, so there is "
                        + "nothing to roll back from", List.of(), null);
            }
            target = candidate(history, active);
            if (target == null) {
                throw new Rejected("no-candidate", null, "No earlier deployment of app " + app.name() + " was live "
                        + "among its last " + history.size() + " deployments, so there is nothing to roll back to; "
                        + "give the target input to choose one", List.of(), activeId);
            }
            log.info("Rollback target (the newest earlier deployment that was live): " + describe(target));
        }

        List<Condition> conditions = validate(target, automatic, activeId);
        List<String> notes = new ArrayList<>();
        notes.add(s.commit()
                ? "The rollback is committed (the app unpinned) once it is live" + (s.verifyUrl() == null ? "."
                : " and its verification passed.")
                : "The app stays pinned to the rollback deployment: pushes will not redeploy the bad code until the "
                + "rollback is committed or reverted.");
        return new Plan(Operation.ROLLBACK, subject, activeId, active == null ? null : describe(active), target.id(),
                describe(target), automatic, conditions, notes);
    }

    /** App Platform's own check of the rollback: its warnings logged, its refusal as {@link Rejected}. */
    private List<Condition> validate(Deployment target, boolean automatic, String activeId) {
        AppPlatform.requireId("deployment", target.id());
        AppsApi.RollbackValidation v = platform.validateRollback(app.id(), target.id(), false);
        List<Condition> conditions = new ArrayList<>();
        if (v.error() != null) conditions.add(condition(true, v.error()));
        for (AppsApi.RollbackCondition w : v.warningsOrEmpty()) conditions.add(condition(false, w));
        for (Condition c : conditions) {
            if (!c.error()) log.warning("App Platform rollback validation: " + c.describe());
        }
        if (!v.isValid()) {
            Condition e = conditions.stream().filter(Condition::error).findFirst()
                    .orElse(new Condition(true, "invalid", "the rollback is not valid", List.of()));
            boolean targetAtFault = !automatic && TARGET_CONDITIONS.contains(e.code());
            String hint = switch (e.code()) {
                case "app_pinned" -> " The app is pinned to an earlier rollback: run this action with commit: true to "
                        + "keep it, or revert: true to undo it, first.";
                case "exceeded_revision_limit" -> " The app's tier keeps fewer deployments for rollback; choose a newer target.";
                default -> "";
            };
            throw new Rejected("rejected", targetAtFault ? "target" : null, (targetAtFault ? "Input 'target': " : "")
                    + "App Platform refuses to roll back app " + app.name() + " to deployment " + target.id() + ": "
                    + e.message() + " [" + e.code() + "]." + hint + " Nothing was changed.", conditions, activeId);
        }
        return conditions;
    }

    private App resolveApp() {
        if (!appId.isEmpty()) {
            try {
                return platform.getApp(appId);
            } catch (ProviderException e) {
                if (e.isNotFound()) throw InputException.invalid("app-id", "names no app this token can see: " + appId);
                throw e;
            }
        }
        return platform.findByName(appName).orElseThrow(() -> InputException.invalid("app-name",
                "names no app this token can see: '" + appName + "'"));
    }

    private Deployment explicitTarget(List<Deployment> history) {
        for (Deployment d : history) {
            if (s.target().equals(d.id())) return d;
        }
        try {
            return platform.getDeployment(app.id(), s.target());
        } catch (ProviderException e) {
            if (e.isNotFound()) {
                throw InputException.invalid("target", "names no deployment of app " + app.name() + ": " + s.target());
            }
            throw e;
        }
    }

    /**
     * The newest deployment older than {@code active} that was live: {@code SUPERSEDED} with every step done (an
     * in-flight deployment overtaken by a newer one is {@code SUPERSEDED} too, with steps left).
     */
    Deployment candidate(List<Deployment> history, Deployment active) {
        boolean older = history.stream().noneMatch(d -> d.id().equals(active.id()));
        List<String> newer = new ArrayList<>();
        for (Deployment d : history) {
            if (d.id().equals(active.id())) {
                older = true;
                if (!newer.isEmpty()) {
                    log.warning("Newer deployments than the active one never went live (" + String.join(", ", newer)
                            + "): this rolls back the active deployment " + active.id() + ", which is what serves. If "
                            + "only the newest deploy was bad, nothing needs rolling back.");
                }
                continue;
            }
            if (!older) {
                newer.add(d.id() + " " + d.phaseOrUnknown());
                continue;
            }
            if (active.createdAt() != null && d.createdAt() != null && d.createdAt().compareTo(active.createdAt()) > 0) {
                continue;
            }
            if (d.phaseOrUnknown() == Phase.SUPERSEDED && wasLive(d)) return d;
            log.info("Not a rollback target: " + describe(d) + (d.phaseOrUnknown() == Phase.SUPERSEDED
                    ? " (replaced before it went live)" : ""));
        }
        return null;
    }

    private static boolean wasLive(Deployment d) {
        Deployment.Progress p = d.progress();
        return p == null || p.total() == 0 || (p.errors() == 0 && p.success() == p.total());
    }

    private static Condition condition(boolean error, AppsApi.RollbackCondition c) {
        return new Condition(error, c.code() == null ? "unknown" : c.code(), c.message() == null ? "" : c.message(),
                c.components() == null ? List.of() : c.components());
    }

    /** {@code 3f2a9c1e (SUPERSEDED, DEPLOY_ON_PUSH, commit 9a4df0b, created 2026-11-23T11:00:00Z)}. */
    static String describe(Deployment d) {
        List<String> parts = new ArrayList<>();
        parts.add(d.phaseOrUnknown().name());
        if (d.causeDetails() != null && d.causeDetails().type() != null) parts.add(safe(d.causeDetails().type()));
        String commit = null;
        for (List<Deployment.ComponentRef> refs : java.util.Arrays.asList(d.services(), d.staticSites(), d.workers(),
                d.jobs(), d.functions())) {
            if (refs == null) continue;
            for (Deployment.ComponentRef r : refs) {
                if (commit == null && r.sourceCommitHash() != null && r.sourceCommitHash().matches("[0-9a-f]{7,40}")) {
                    commit = r.sourceCommitHash().substring(0, 7);
                }
            }
        }
        if (commit != null) parts.add("commit " + commit);
        if (d.createdAt() != null) parts.add("created " + safe(d.createdAt()));
        return d.id() + " (" + String.join(", ", parts) + ")";
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9_.:+-]", "");
    }

    // ---- execute ----------------------------------------------------------------------------------------------------

    @Override
    public Execution execute(Plan plan) {
        return switch (plan.operation()) {
            case COMMIT -> {
                platform.commitRollback(app.id());
                log.info("Committed the rollback to deployment " + plan.to() + ": app " + app.name() + " is unpinned");
                yield new Execution(Status.SUCCEEDED, null, null, "committed; the app is unpinned", Duration.ZERO,
                        List.of(), List.of("App " + app.name() + " is unpinned: pushes and deploys go through again."));
            }
            case ROLLBACK -> {
                log.info("Rolling back app " + app.name() + " to deployment " + plan.to() + " (pinned until committed "
                        + "or reverted)");
                Deployment d = platform.rollback(app.id(), plan.to(), false);
                AppPlatform.requireId("deployment", d.id());
                log.info("App Platform started rollback deployment " + d.id());
                yield watch(d, null);
            }
            case REVERT -> {
                log.info("Reverting the pinned rollback of app " + app.name() + " (deployment " + plan.from() + ")");
                Deployment d = platform.revertRollback(app.id());
                AppPlatform.requireId("deployment", d.id());
                log.info("App Platform started revert deployment " + d.id());
                yield watch(d, d.id());
            }
            default -> throw new IllegalStateException("nothing to execute for " + plan.operation());
        };
    }

    private Execution watch(Deployment d, String restored) {
        // the deployment serving now shows how long a deploy stage of this app takes: when to look closely
        DeploymentWatcher watcher = DeploymentWatcher.builder(platform, log).timeout(s.timeout())
                .reference(app.activeDeployment()).build();
        DeploymentWatcher.Outcome o = watcher.watch(app.id(), d.id());
        List<String> timeline = new ArrayList<>();
        for (DeploymentWatcher.PhaseSpan span : o.timeline()) {
            // a final phase has no length: it is where the deployment stayed
            timeline.add(span.phase().isTerminal() ? span.phase().name()
                    : span.phase().name() + " " + Durations.human(span.duration()));
        }
        if (o.succeeded()) {
            return new Execution(Status.SUCCEEDED, d.id(), restored, "deployment " + d.id() + " is ACTIVE",
                    o.elapsed(), timeline, List.of());
        }
        if (o.timeout() != null) {
            return new Execution(Status.TIMED_OUT, d.id(), restored, "deployment " + d.id() + " did not finish within the "
                    + "timeout of " + Durations.human(s.timeout()) + " (last phase " + o.phase() + "); it goes on on "
                    + "App Platform", o.elapsed(), timeline, restored != null ? List.of()
                    : List.of("Deployment " + d.id() + " goes on on App Platform and the app is pinned to it; once it is "
                    + "live, commit it (commit: true) or undo it (revert: true)."));
        }
        List<String> notes = new ArrayList<>();
        if (restored == null) {
            notes.add("The app is pinned to the failed rollback deployment; the deployment that served before is "
                    + "still live. Run this action with revert: true to unpin the app.");
        }
        StringBuilder logs = new StringBuilder();
        for (DeploymentWatcher.ComponentLog l : o.logs()) {
            if (l.logs().isEmpty()) continue;
            logs.append("== ").append(l.type().toLowerCase()).append(" logs")
                    .append(l.component() == null ? "" : " of " + l.component()).append(" (last 40 lines) ==\n")
                    .append(l.logs().tail(40)).append('\n');
        }
        return new Execution(Status.FAILED, d.id(), restored, "deployment " + d.id() + " ended in " + o.phase() + ": "
                + o.failureReason(), o.elapsed(), timeline, notes, logs.toString());
    }

    // ---- finish -----------------------------------------------------------------------------------------------------

    @Override
    public List<String> finish(Plan plan, Execution execution, boolean verified) {
        if (plan.operation() != Operation.ROLLBACK || !execution.succeeded()) return List.of();
        String unpin = "To keep this version and unpin the app, run this action with `commit: true` (App Platform: "
                + "POST /v2/apps/" + app.id() + "/rollback/commit); to go back to the newer deployment, with `revert: true`.";
        if (!s.commit()) {
            return List.of("App " + app.name() + " is pinned to rollback deployment " + execution.deploymentId()
                    + ": pushes and deploys will not redeploy until it is unpinned. " + unpin);
        }
        if (!verified) {
            log.warning("Not committing the rollback: its verification failed. App " + app.name()
                    + " stays pinned to deployment " + execution.deploymentId() + ".");
            return List.of("Not committed, because the verification failed: app " + app.name() + " stays pinned to "
                    + "rollback deployment " + execution.deploymentId() + ". " + unpin);
        }
        platform.commitRollback(app.id());
        log.info("Committed the rollback: app " + app.name() + " is unpinned");
        return List.of("The rollback is committed: app " + app.name() + " is unpinned and deploys again on push.");
    }

    // ---- what serves ------------------------------------------------------------------------------------------------

    /**
     * The deployment serving now (the rollback's or revert's new deployment, a copy of the target's build), the
     * commit App Platform built it from (the first component's {@code source_commit_hash}; none for image
     * components) and the app's live URL.
     */
    @Override
    public Served served(Plan plan, Execution execution) {
        String id = execution.deploymentId() != null ? execution.deploymentId() : plan.to();
        Deployment d = platform.getDeployment(app.id(), id);
        String commit = null;
        for (List<Deployment.ComponentRef> refs : java.util.Arrays.asList(d.services(), d.staticSites(), d.workers(),
                d.jobs(), d.functions())) {
            if (refs == null) continue;
            for (Deployment.ComponentRef r : refs) {
                if (commit == null && r.sourceCommitHash() != null && !r.sourceCommitHash().isBlank()) {
                    commit = r.sourceCommitHash();
                }
            }
        }
        App now = platform.getApp(app.id());
        return new Served(id, commit, now.hasLiveUrl() ? now.liveUrl() : null);
    }
}
