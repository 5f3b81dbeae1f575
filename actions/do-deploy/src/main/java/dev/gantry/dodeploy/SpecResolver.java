package dev.gantry.dodeploy;

import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.InputException;
import dev.gantry.common.action.Log;
import dev.gantry.common.digitalocean.App;
import dev.gantry.common.digitalocean.AppPlatform;
import dev.gantry.common.digitalocean.AppSpec;
import dev.gantry.common.http.ProviderException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The spec to deploy and the app it goes to: the spec file, or the named app's current spec (app_action's
 * {@code app_name}); then the image pins ({@code images}, app_action's {@code IMAGE_TAG_*}/{@code IMAGE_DIGEST_*}),
 * the {@code envs} and the preview changes. A spec never goes to an app of another name: a file whose {@code name}
 * differs from the app named by {@code app-name} or {@code app-id} stops the step, and so no second app is made.
 */
final class SpecResolver {
    /** The spec to deploy and the app it goes to (null: a new app). */
    record Target(AppSpec spec, App existing) {
    }

    private final ActionContext ctx;
    private final Settings s;
    private final AppPlatform platform;
    private final Log log;

    SpecResolver(ActionContext ctx, Settings s, AppPlatform platform) {
        this.ctx = ctx;
        this.s = s;
        this.platform = platform;
        this.log = ctx.log();
    }

    Target resolve() {
        App named = namedApp();
        AppSpec spec = s.specFile() == null ? currentSpec(named) : fileSpec(named);
        spec = pinImages(spec);
        if (!s.envs().isEmpty()) {
            spec = spec.withSecretEnvs(s.envs());
            log.info("Merged " + s.envs().size() + " env var(s) into the spec as encrypted run-time secrets: "
                    + String.join(", ", s.envs().keySet()));
        }
        App existing = named;
        if (s.preview()) {
            int pr = ctx.github().pullRequestNumber().getAsInt();
            String name = PreviewNames.of(ctx.github().repository(), pr);
            spec = spec.forPreview(name, ctx.github().repository(), ctx.github().headBranch());
            log.info("Preview app for pull request #" + pr + ": " + name + " (branch " + ctx.github().headBranch()
                    + ", no domains or alerts)");
            existing = null;
        }
        String name = spec.name();
        if (name == null || !AppSpec.NAME.matcher(name).matches()) {
            throw InputException.invalid(s.appInput(), "gives the app name '" + name + "', but App Platform names "
                    + "must match " + AppSpec.NAME.pattern() + " (2-32 lower-case letters, digits and hyphens, "
                    + "starting with a letter)");
        }
        if (existing == null) existing = platform.findByName(name).orElse(null);
        return new Target(spec, existing);
    }

    /** The app named by app-id or app-name (which must exist), or null. */
    private App namedApp() {
        if (!s.appId().isEmpty()) {
            try {
                return platform.getApp(s.appId());
            } catch (ProviderException e) {
                if (e.isNotFound()) throw InputException.invalid("app-id", "names no app this token can see: " + s.appId());
                throw e;
            }
        }
        if (s.appName().isEmpty()) return null;
        return platform.findByName(s.appName()).orElseThrow(() -> InputException.invalid("app-name",
                "names no app this token can see: '" + s.appName() + "' (to create it, give an app-spec file "
                        + "and leave app-name empty)"));
    }

    private AppSpec currentSpec(App app) {
        if (app.spec() == null) throw InputException.invalid(s.appInput(), "names app " + app.id() + ", which has no spec");
        log.info("Deploying the current spec of app " + app.name() + " (" + app.id() + ")");
        return app.spec();
    }

    private AppSpec fileSpec(App named) {
        String shown = s.specShown();
        SpecTemplate.Loaded loaded = SpecTemplate.load(s.specFile(), s.specInput(), shown, ctx::env);
        AppSpec spec = loaded.spec();
        if (named != null && !named.name().equals(spec.name())) {
            String by = !s.appId().isEmpty() ? "app-id " + s.appId() + " (app " + named.name() + ")"
                    : "app-name '" + named.name() + "'";
            throw InputException.invalid(s.specInput(), "(" + shown + ") names the app '" + spec.name() + "', but the "
                    + "step deploys to " + by + ". do-deploy never deploys a spec under another name: App Platform "
                    + "would rename the app, or a second app would be created. Write name: " + named.name() + " in "
                    + shown + ", or leave " + s.specInput() + " out to deploy the app's current spec.");
        }
        log.info("Read the app spec from " + shown + (loaded.filled().isEmpty() ? ""
                : "; filled ${" + String.join("}, ${", loaded.filled()) + "} from the environment"));
        if (!loaded.unset().isEmpty()) {
            log.warning(shown + " uses ${" + String.join("}, ${", loaded.unset()) + "}, which this step's env does not "
                    + "set: sent as written (digitalocean/app_action would send an empty string). Set them with env: "
                    + "on the step.");
        }
        if (!loaded.unbraced().isEmpty()) {
            log.warning(shown + " has $" + String.join(", $", loaded.unbraced()) + " without braces: do-deploy fills "
                    + "only ${NAME} and sends these as written (digitalocean/app_action would fill them). Write ${"
                    + String.join("}, ${", loaded.unbraced()) + "} to have them filled.");
        }
        if (!loaded.leftAlone().isEmpty()) {
            log.debug("Placeholders left for App Platform to resolve: ${" + String.join("}, ${", loaded.leftAlone()) + "}");
        }
        return spec;
    }

    /** The images input's pins, then app_action's IMAGE_* variables (one component pinned by both stops the step). */
    private AppSpec pinImages(AppSpec spec) {
        Map<String, AppSpec.ImageRef> pins = new LinkedHashMap<>(s.images());
        Map<String, String> sources = new LinkedHashMap<>();
        for (String c : s.images().keySet()) sources.put(c, "the images input");
        for (Map.Entry<String, ImagePins.Pin> e : ImagePins.fromEnvironment(spec, s.imageEnv()).entrySet()) {
            if (pins.containsKey(e.getKey())) {
                throw InputException.invalid("images", "pins component " + e.getKey() + ", and so does the "
                        + "environment variable " + e.getValue().source() + " (digitalocean/app_action's way); keep one");
            }
            pins.put(e.getKey(), e.getValue().ref());
            sources.put(e.getKey(), e.getValue().source() + ", as digitalocean/app_action reads it");
        }
        AppSpec pinned = ImagePins.apply("images", spec, pins);
        for (Map.Entry<String, AppSpec.ImageRef> e : pins.entrySet()) {
            log.info("Pinned " + e.getKey() + " to " + e.getValue().describe() + " (from " + sources.get(e.getKey()) + ")");
        }
        return pinned;
    }
}
