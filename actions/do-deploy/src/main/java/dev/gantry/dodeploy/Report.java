package dev.gantry.dodeploy;

import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.Durations;
import dev.gantry.common.action.Markdown;
import dev.gantry.common.action.Summary;
import dev.gantry.common.digitalocean.App;
import dev.gantry.common.digitalocean.AppsApi;
import dev.gantry.common.digitalocean.Deployment;
import dev.gantry.common.digitalocean.DeploymentWatcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The outputs and the step summary of do-deploy: verdict first, then a table, details collapsed. */
final class Report {
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
        ctx.setOutput("live-url", app.hasLiveUrl() ? app.liveUrl() : "");
        ctx.setOutput("app", DeployFlow.json(app.withoutSecrets()));
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
        if (failure == null) {
            s.heading(Markdown.format("✅ Deployed %s to App Platform", app.name())
                    .append(app.hasLiveUrl() ? Markdown.of(": ").append(Markdown.link(app.liveUrl())) : Markdown.of("")), 3);
        } else if (failure.equals("timeout")) {
            s.heading("⏱️ Deployment of " + app.name() + " timed out in phase " + o.phase(), 3);
        } else {
            s.heading("❌ Deployment of " + app.name() + " failed in phase " + o.phase(), 3);
        }
        s.table(List.of("", ""), rows(app, depId, o.phase().name(), previous, o.elapsed()));
        if (failure != null && !failure.equals("timeout")) {
            s.paragraph(Markdown.format("**Why:** %s", o.failureReason()));
        }
        if (!o.timeline().isEmpty()) {
            StringBuilder md = new StringBuilder("| phase | took | since |\n| --- | --- | --- |\n");
            for (DeploymentWatcher.PhaseSpan p : o.timeline()) {
                md.append("| ").append(Markdown.cell(p.phase().name())).append(" | ")
                        .append(p.phase().isTerminal() ? "" : Durations.human(p.duration())).append(" | ")
                        .append(p.start()).append(" |\n");
            }
            s.details("Phase timeline", Markdown.of(md.toString()));
        }
        for (DeploymentWatcher.ComponentLog l : o.logs()) {
            String title = l.type().toLowerCase() + " logs" + (l.component() == null ? "" : " of " + l.component())
                    + " (last 40 lines)";
            Markdown body = l.logs().isEmpty() ? Markdown.format("_%s_", l.logs().note() == null ? "empty" : l.logs().note())
                    : Markdown.codeBlock(l.logs().tail(40), "text");
            s.details(title, body);
        }
    }

    void dryRun(DeployFlow.Target t, AppsApi.ProposeResponse p, List<SpecDiff.Change> changes) {
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
        rows.add(List.of("URL", app.hasLiveUrl() ? Markdown.link(app.liveUrl())
                : (app.spec() != null && !app.spec().hasHttpComponents() ? "none (no HTTP component)" : "not live")));
        rows.add(List.of("Previous deployment", previous == null ? "none (new app)" : Markdown.code(previous)));
        if (took != null) rows.add(List.of("Took", Durations.human(took)));
        return rows;
    }
}
