package dev.gantry.dodeploy;

import dev.gantry.common.action.Durations;
import dev.gantry.common.action.Notice;
import dev.gantry.common.digitalocean.App;
import dev.gantry.common.digitalocean.AppSpec;
import dev.gantry.common.digitalocean.Deployment;
import dev.gantry.common.digitalocean.DeploymentWatcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What do-deploy tells the team (the Slack message): what went live where, filled in at each stage, so that a
 * failure half way still says what was known. Every value is plain text; the renderer escapes it.
 */
final class TeamNotice {
    /** App Platform's control panel: where a person looks at a deployment. */
    static final String CONTROL_PANEL = "https://cloud.digitalocean.com/apps/";

    private TeamNotice() {
    }

    /** Where and what: the environment, the app, the image pins as the version. */
    static void target(Notice n, String environment, String app, Map<String, AppSpec.ImageRef> images) {
        n.environment(environment).subject("App", app).version(version(images));
    }

    /** The pinned images as a version: the tag (or digest) of a single pin, else each component's. */
    static String version(Map<String, AppSpec.ImageRef> images) {
        if (images.isEmpty()) return null;
        if (images.size() == 1) {
            AppSpec.ImageRef r = images.values().iterator().next();
            return r.digest() != null ? r.describe() : r.tag();
        }
        List<String> parts = new ArrayList<>();
        images.forEach((component, ref) -> parts.add(component + " " + ref.describe()));
        return String.join(", ", parts);
    }

    static void started(Notice n, App app, Deployment d, String previous) {
        n.subject("App", app.name())
                .headline("Deploying " + app.name() + " to App Platform")
                .link("Deployment", CONTROL_PANEL + app.id() + "/deployments/" + d.id())
                .fact("Deployment", d.id())
                .fact("Previous deployment", previous == null ? "none (new app)" : previous);
    }

    static void notWaited(Notice n, App app) {
        n.headline("Deployment of " + app.name() + " started on App Platform (not waited for)");
    }

    static void finished(Notice n, App app, DeploymentWatcher.Outcome o, String failure) {
        String url = Report.liveUrl(app, null);
        if (failure == null) {
            n.headline(url != null ? "Deployed " + app.name() + ": live at " + url
                    : "Deployed " + app.name() + " (no live URL)");
        } else if (failure.equals("timeout")) {
            n.headline("Deployment of " + app.name() + " timed out in phase " + o.phase());
        } else if (failure.equals("unconfirmed")) {
            n.headline("Deployment of " + app.name() + " is " + o.phase() + ", but App Platform gave no answer about "
                    + "the app afterwards");
        } else {
            n.headline("Deployment of " + app.name() + " failed in phase " + o.phase() + ": " + o.failureReason());
        }
        n.fact("Phase", o.phase().name());
        if (o.elapsed() != null) n.fact("Took", Durations.human(o.elapsed()));
        n.link("Live URL", url);
        if (o.deployment() != null) {
            n.link("Deployment", CONTROL_PANEL + app.id() + "/deployments/" + o.deployment().id());
        }
    }

    static void dryRun(Notice n, String app, boolean creates, List<SpecDiff.Change> changes) {
        n.subject("App", app).headline(creates ? "Dry run: " + app + " would be created"
                : "Dry run: " + changes.size() + " change(s) to " + app);
        n.items("Changes against the live spec", changes.stream().map(SpecDiff.Change::describe).toList());
    }

    static void deleted(Notice n, String name, String id) {
        n.environment("preview/" + name).subject("App", name).headline(id == null
                ? "No preview app " + name + " to delete" : "Deleted preview app " + name);
    }
}
