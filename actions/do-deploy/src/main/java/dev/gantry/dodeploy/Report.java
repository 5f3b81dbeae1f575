package dev.gantry.dodeploy;

import dev.gantry.common.action.ActionContext;
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
        s.table(List.of("", ""), rows(app, d.id(), d.phaseOrUnknown().name(), previous, null));
    }

    void finished(App app, DeploymentWatcher.Outcome o, String previous, String failure) {
        appOutputs(app);
        Summary s = ctx.summary();
        String depId = o.deployment() == null ? "" : o.deployment().id();
        if (failure == null) {
            s.heading("✅ Deployed " + app.name() + " to App Platform" + (app.hasLiveUrl() ? ": " + app.liveUrl() : ""), 3);
        } else if (failure.equals("timeout")) {
            s.heading("⏱️ Deployment of " + app.name() + " timed out in phase " + o.phase(), 3);
        } else {
            s.heading("❌ Deployment of " + app.name() + " failed in phase " + o.phase(), 3);
        }
        s.table(List.of("", ""), rows(app, depId, o.phase().name(), previous, o.elapsed()));
        if (failure != null && !failure.equals("timeout")) {
            s.paragraph("**Why:** " + Summary.inline(o.failureReason()));
        }
        if (!o.timeline().isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            for (DeploymentWatcher.PhaseSpan p : o.timeline()) {
                rows.add(List.of(p.phase().name(), p.phase().isTerminal() ? "" : human(p.duration()),
                        p.start().toString()));
            }
            StringBuilder md = new StringBuilder("| phase | took | since |\n| --- | --- | --- |\n");
            for (List<String> r : rows) md.append("| ").append(r.get(0)).append(" | ").append(r.get(1)).append(" | ").append(r.get(2)).append(" |\n");
            s.details("Phase timeline", md.toString());
        }
        for (DeploymentWatcher.ComponentLog l : o.logs()) {
            String title = l.type().toLowerCase() + " logs" + (l.component() == null ? "" : " of " + l.component())
                    + " (last 40 lines)";
            String body = l.logs().isEmpty() ? "_" + (l.logs().note() == null ? "empty" : l.logs().note()) + "_"
                    : fence(l.logs().tail(40));
            s.details(title, body);
        }
    }

    void dryRun(DeployFlow.Target t, AppsApi.ProposeResponse p, List<SpecDiff.Change> changes) {
        Summary s = ctx.summary();
        if (t.existing() == null) {
            s.heading("🔎 Dry run: " + t.spec().name() + " would be created", 3);
        } else {
            s.heading("🔎 Dry run: " + changes.size() + " change(s) to " + t.spec().name(), 3);
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("App", t.spec().name() + (t.existing() == null ? " (new)" : " (`" + t.existing().id() + "`)")));
        rows.add(List.of("Spec", "valid (App Platform propose)"));
        if (p.appCost() != null) rows.add(List.of("Cost", "$" + p.appCost() + "/month"));
        if (Boolean.FALSE.equals(p.appNameAvailable()) && t.existing() == null) {
            rows.add(List.of("Name", "taken; suggestion: " + p.appNameSuggestion()));
        }
        s.table(List.of("", ""), rows);
        if (!changes.isEmpty()) {
            StringBuilder b = new StringBuilder();
            for (SpecDiff.Change c : changes) b.append(c.describe()).append('\n');
            s.details("Changes against the live spec", fence(b.toString()));
        }
    }

    void deleted(String name, String id) {
        Summary s = ctx.summary();
        if (id == null) {
            s.heading("🧹 No preview app " + name + " to delete", 3);
        } else {
            s.heading("🧹 Deleted preview app " + name, 3);
            s.table(List.of("", ""), List.of(List.of("App", name + " (`" + id + "`)")));
        }
    }

    private static List<List<String>> rows(App app, String depId, String phase, String previous, Duration took) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("App", app.name() + " (`" + app.id() + "`)"));
        rows.add(List.of("Deployment", "`" + depId + "`"));
        rows.add(List.of("Phase", phase));
        rows.add(List.of("URL", app.hasLiveUrl() ? app.liveUrl()
                : (app.spec() != null && !app.spec().hasHttpComponents() ? "none (no HTTP component)" : "not live")));
        rows.add(List.of("Previous deployment", previous == null ? "none (new app)" : "`" + previous + "`"));
        if (took != null) rows.add(List.of("Took", human(took)));
        return rows;
    }

    private static String fence(String text) {
        String f = "```";
        while (text.contains(f)) f += "`";
        return f + "text\n" + text + (text.endsWith("\n") ? "" : "\n") + f + "\n";
    }

    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) return ms + "ms";
        long sec = ms / 1000;
        return sec < 60 ? sec + "s" : (sec / 60) + "m" + String.format("%02d", sec % 60) + "s";
    }
}
