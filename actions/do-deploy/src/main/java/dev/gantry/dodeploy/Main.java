package dev.gantry.dodeploy;

import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.ActionRunner;
import dev.gantry.common.action.InputException;
import dev.gantry.common.action.Inputs;
import dev.gantry.common.digitalocean.AppSpec;
import dev.gantry.common.digitalocean.DeploymentWatcher.LogPolicy;
import dev.gantry.common.http.BaseUrl;
import dev.gantry.common.http.WarmUp;
import dev.gantry.common.slack.SlackNotifier;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The do-deploy action: reads and checks every input, then runs {@link DeployFlow}. */
public final class Main {
    static final String DEFAULT_API = "https://api.digitalocean.com";

    private Main() {
    }

    public static void main(String[] args) {
        WarmUp.start(); // TLS and Jackson set-up on a spare core while the inputs are read
        ActionRunner.main(Main.class, Main::run, args);
    }

    public static void run(ActionContext ctx) {
        SlackNotifier.forStep(ctx); // first: a later input error is told too
        Inputs inputs = ctx.inputs();
        String token = inputs.requiredSecret("token");
        URI apiUrl = BaseUrl.check("api-url", inputs.url("api-url", DEFAULT_API));
        String operation = inputs.choice("operation", "deploy", "deploy", "delete-preview");
        String appSpec = inputs.string("app-spec");
        String appName = inputs.string("app-name");
        String appId = inputs.string("app-id");
        String projectId = inputs.string("project-id");
        Map<String, AppSpec.ImageRef> images = ImagePins.parse("images", inputs.multiline("images"));
        Map<String, String> envs = inputs.keyValues("envs", true);
        for (String key : envs.keySet()) {
            if (!AppSpec.ENV_KEY.matcher(key).matches()) {
                throw InputException.invalid("envs", "has an invalid key '" + key + "' (App Platform env keys match "
                        + AppSpec.ENV_KEY.pattern() + ")");
            }
        }
        boolean wait = inputs.bool("wait");
        Duration timeout = inputs.duration("timeout", Duration.ofMinutes(30));
        if (timeout.isZero() || timeout.isNegative()) throw InputException.invalid("timeout", "must be longer than 0");
        boolean forceBuild = inputs.bool("force-build");
        LogPolicy buildLogs = logPolicy(inputs.choice("print-build-logs", "on-failure", CHOICES));
        LogPolicy deployLogs = logPolicy(inputs.choice("print-deploy-logs", "on-failure", CHOICES));
        boolean preview = inputs.bool("preview");
        boolean dryRun = inputs.bool("dry-run");
        String githubToken = inputs.secret("github-token");
        boolean githubDeployment = inputs.bool("github-deployment");
        String environment = inputs.string("environment");

        if (!appName.isEmpty() && !appId.isEmpty()) {
            throw InputException.invalid("app-id", "and app-name are both set; set one of them");
        }
        if ((preview || operation.equals("delete-preview")) && !appId.isEmpty()) {
            throw InputException.invalid("app-id", "cannot be used with preview apps (their name comes from the pull "
                    + "request)");
        }
        if ((preview || operation.equals("delete-preview")) && ctx.github().pullRequestNumber().isEmpty()) {
            throw InputException.invalid(preview ? "preview" : "operation", "needs a pull_request event to name the "
                    + "preview app (this run's event is '" + ctx.github().eventName() + "')");
        }

        DeployFlow.Settings s = new DeployFlow.Settings(token, apiUrl, operation, appSpec, appName, appId, projectId,
                images, envs, wait, timeout, forceBuild, buildLogs, deployLogs, preview, dryRun, githubToken,
                githubDeployment, environment);
        new DeployFlow(ctx, s).run();
    }

    private static final String[] CHOICES = {"on-failure", "always", "never", "true", "false"};

    static LogPolicy logPolicy(String v) {
        return switch (v) {
            case "always", "true" -> LogPolicy.ALWAYS;
            case "never", "false" -> LogPolicy.NEVER;
            default -> LogPolicy.ON_FAILURE;
        };
    }

}
