package dev.gantry.dodeploy;

import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.Durations;
import dev.gantry.common.action.Log;
import dev.gantry.common.action.Markdown;
import dev.gantry.common.action.Summary;
import dev.gantry.common.digitalocean.App;
import dev.gantry.common.digitalocean.AppsApi;
import dev.gantry.common.digitalocean.Deployment;
import dev.gantry.common.digitalocean.DeploymentLogs;
import dev.gantry.common.digitalocean.DeploymentWatcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The outputs and the step summary of do-deploy: verdict first, then a table, details collapsed. Provider text
 * (names, ids, URLs, reasons, logs) reaches the summary only through {@link Markdown}.
 */
final class Report {
    /** The most of each log the {@code build_logs}/{@code deploy_logs} outputs carry (the tail): outputs share 1 MB a job. */
    static final int LOG_OUTPUT_BYTES = 256 * 1024;
    private static final java.util.regex.Pattern PLAIN_URL = java.util.regex.Pattern.compile("https?://[^\\s<>\"`]+");

    private final ActionContext ctx;

    Report(ActionContext ctx) {
        this.ctx = ctx;
    }

    void started(App app, Deployment d, String previous) {
        ctx.setOutput("app-id", app.id());
        ctx.setOutput("app-name", app.name());
        ctx.setOutput("deployment-id", d.id());
        ctx.setOutput("previous-deployment-id", DeployFlow.nullToEmpty(previous));
        TeamNotice.started(ctx.notice(), app, d, previous);
    }

    void phase(String phase) {
        ctx.setOutput("phase", phase);
    }

    private void appOutputs(App app) {
        String url = liveUrl(app, null);
        ctx.setOutput("live-url", url == null ? "" : url);
        ctx.setOutput("app", DeployFlow.json(app.withoutSecrets()));
    }

    /**
     * The app's live URL when it is a plain absolute http(s) URL (no white space, quotes or angle brackets), else
     * null; {@code log} (when given) warns about one that is not.
     */
    static String liveUrl(App app, Log log) {
        if (!app.hasLiveUrl()) return null;
        String u = app.liveUrl();
        if (PLAIN_URL.matcher(u).matches() && Markdown.link(u).toString().startsWith("[")) return u;
        if (log != null) log.warning("App Platform gave app " + app.name() + " a live URL that is not a plain http(s) URL; "
                + "it is not used: " + u);
        return null;
    }

    /**
     * digitalocean/app_action's {@code build_logs} and {@code deploy_logs}: every component's logs of the stage, set
     * when not empty. Each keeps its last {@link #LOG_OUTPUT_BYTES} (outputs share 1 MB a job), cut at a line.
     */
    void logOutputs(DeploymentWatcher.Outcome o) {
        for (String type : List.of("BUILD", "DEPLOY")) {
            DeploymentLogs.LogText t = o.stageLogs().get(type);
            if (t == null || t.isEmpty()) continue;
            String text = t.text();
            byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (bytes.length > LOG_OUTPUT_BYTES) {
                String tail = new String(bytes, bytes.length - LOG_OUTPUT_BYTES, LOG_OUTPUT_BYTES,
                        java.nio.charset.StandardCharsets.UTF_8);
                text = "[earlier lines cut: this output keeps the last " + LOG_OUTPUT_BYTES / 1024 + " KiB]\n"
                        + tail.substring(tail.indexOf('\n') + 1);
            }
            ctx.setOutput(type.toLowerCase(java.util.Locale.ROOT) + "_logs", text);
        }
    }

    /** The summary of a deploy refused because a rollback pins the app: the step that unpins it. */
    void pinned(App app, String pinnedId, String step) {
        appOutputs(app);
        Summary s = ctx.summary();
        s.heading(Markdown.format("📌 %s is pinned to rollback deployment %s: nothing deployed", app.name(),
                Markdown.code(pinnedId)), 3);
        s.paragraph("App Platform takes no new deployment until the rollback is committed (keep the rolled-back "
                + "version) or reverted (redeploy the spec from before it). Run this step once, then deploy again:");
        s.markdown(Markdown.codeBlock(step, "yaml"));
        s.paragraph("The example workflow .github/workflows/example-rollback.yml does this with its 'then' input "
                + "(commit or revert).");
    }

    void notWaited(App app, Deployment d, String previous) {
        appOutputs(app);
        Summary s = ctx.summary();
        s.heading("🚀 Deployment of " + app.name() + " started (not waited for)", 3);
        TeamNotice.notWaited(ctx.notice(), app);
        s.table(List.of("", ""), rows(app, d.id(), d.phaseOrUnknown().name(), previous, null));
    }

    void finished(App app, DeploymentWatcher.Outcome o, String previous, String failure) {
        appOutputs(app);
        Summary s = ctx.summary();
        String depId = o.deployment() == null ? "" : o.deployment().id();
        TeamNotice.finished(ctx.notice(), app, o, failure);
        String url = liveUrl(app, null);
        if (failure == null) {
            s.heading(Markdown.format("✅ Deployed %s to App Platform", app.name())
                    .append(url != null ? Markdown.of(": ").append(Markdown.link(url)) : Markdown.of("")), 3);
        } else if (failure.equals("timeout")) {
            s.heading("⏱️ Deployment of " + app.name() + " timed out in phase " + o.phase(), 3);
        } else if (failure.equals("unconfirmed")) {
            s.heading("🔥 Deployment of " + app.name() + " is " + o.phase() + ", but App Platform gave no answer about "
                    + "the app afterwards", 3);
        } else {
            s.heading("❌ Deployment of " + app.name() + " failed in phase " + o.phase(), 3);
        }
        s.table(List.of("", ""), rows(app, depId, o.phase().name(), previous, o.elapsed()));
        if ("failure".equals(failure)) {
            s.paragraph(Markdown.format("**Why:** %s", o.failureReason()));
        }
        if (!o.timeline().isEmpty()) {
            List<List<Object>> rows = new ArrayList<>();
            for (DeploymentWatcher.PhaseSpan p : o.timeline()) {
                rows.add(List.of(p.phase().name(), p.phase().isTerminal() ? "" : Durations.human(p.duration()),
                        p.start().toString()));
            }
            s.details("Phase timeline", Markdown.table(List.of("phase", "took", "since"), rows));
        }
        for (DeploymentWatcher.ComponentLog l : o.logs()) {
            String title = l.type().toLowerCase() + " logs" + (l.component() == null ? "" : " of " + l.component())
                    + " (last 40 lines)";
            Markdown body = l.logs().isEmpty() ? Markdown.format("_%s_", l.logs().note() == null ? "empty" : l.logs().note())
                    : Markdown.codeBlock(l.logs().tail(40), "text");
            s.details(title, body);
        }
    }

    void dryRun(SpecResolver.Target t, AppsApi.ProposeResponse p, List<SpecDiff.Change> changes) {
        ctx.setOutput("app-name", t.spec().name());
        if (t.existing() != null) {
            ctx.setOutput("app-id", t.existing().id());
            ctx.setOutput("previous-deployment-id", DeployFlow.nullToEmpty(t.existing().activeDeploymentId()));
        }
        Summary s = ctx.summary();
        TeamNotice.dryRun(ctx.notice(), t.spec().name(), t.existing() == null, changes);
        if (t.existing() == null) {
            s.heading("🔎 Dry run: " + t.spec().name() + " would be created", 3);
        } else {
            s.heading("🔎 Dry run: " + changes.size() + " change(s) to " + t.spec().name(), 3);
        }
        List<List<Object>> rows = new ArrayList<>();
        rows.add(List.of("App", t.existing() == null ? Markdown.format("%s (new)", t.spec().name())
                : Markdown.format("%s (%s)", t.spec().name(), Markdown.code(t.existing().id()))));
        rows.add(List.of("Spec", "valid (App Platform propose)"));
        if (p.appCost() != null) rows.add(List.of("Cost", "$" + p.appCost() + "/month"));
        if (Boolean.FALSE.equals(p.appNameAvailable()) && t.existing() == null) {
            rows.add(List.of("Name", "taken; suggestion: " + p.appNameSuggestion()));
        }
        s.table(List.of("", ""), rows);
        if (!changes.isEmpty()) {
            StringBuilder b = new StringBuilder();
            for (SpecDiff.Change c : changes) b.append(c.describe()).append('\n');
            s.details("Changes against the live spec", Markdown.codeBlock(b.toString(), "text"));
        }
    }

    void deleted(String name, String id) {
        Summary s = ctx.summary();
        TeamNotice.deleted(ctx.notice(), name, id);
        if (id == null) {
            s.heading("🧹 No preview app " + name + " to delete", 3);
        } else {
            s.heading("🧹 Deleted preview app " + name, 3);
            s.table(List.of("", ""), List.of(List.of("App", Markdown.format("%s (%s)", name, Markdown.code(id)))));
        }
    }

    private static List<List<Object>> rows(App app, String depId, String phase, String previous, Duration took) {
        List<List<Object>> rows = new ArrayList<>();
        rows.add(List.of("App", Markdown.format("%s (%s)", app.name(), Markdown.code(app.id()))));
        rows.add(List.of("Deployment", Markdown.code(depId)));
        rows.add(List.of("Phase", phase));
        String url = liveUrl(app, null);
        rows.add(List.of("URL", url != null ? Markdown.link(url)
                : (app.spec() != null && !app.spec().hasHttpComponents() ? "none (no HTTP component)" : "not live")));
        rows.add(List.of("Previous deployment", previous == null ? "none (new app)" : Markdown.code(previous)));
        if (took != null) rows.add(List.of("Took", Durations.human(took)));
        return rows;
    }
}
