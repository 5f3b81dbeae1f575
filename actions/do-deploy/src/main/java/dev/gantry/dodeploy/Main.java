package dev.gantry.dodeploy;

import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.ActionRunner;
import dev.gantry.common.action.Inputs;
import dev.gantry.common.digitalocean.DeploymentWatcher.LogPolicy;
import dev.gantry.common.http.BaseUrl;
import dev.gantry.common.http.WarmUp;
import dev.gantry.common.slack.SlackNotifier;

import java.time.Duration;

/** The do-deploy action: inputs, then {@link Settings} (which checks them as a whole), then {@link DeployFlow}. */
public final class Main {
    static final String DEFAULT_API = "https://api.digitalocean.com";
    private static final String[] LOG_CHOICES = {"on-failure", "always", "never", "true", "false"};

    private Main() {
    }

    public static void main(String[] args) {
        WarmUp.start(); // TLS and Jackson set-up on a spare core while the inputs are read
        ActionRunner.main(Main.class, Main::run, args);
    }

    public static void run(ActionContext ctx) {
        SlackNotifier.forStep(ctx); // first: a later input error is told too
        Inputs inputs = ctx.inputs();
        Settings.Builder settings = Settings.builder(inputs.requiredSecret("token"),
                        BaseUrl.check("api-url", inputs.url("api-url", DEFAULT_API)), ctx.github().workspace())
                .operation(inputs.choice("operation", "deploy", "deploy", "delete-preview"))
                .specFile("app-spec", inputs.string("app-spec"))
                .appName(inputs.string("app-name"))
                .appId(inputs.string("app-id"))
                .projectId(inputs.string("project-id"))
                .images(ImagePins.parse("images", inputs.multiline("images")))
                .envs(inputs.keyValues("envs", true))
                .waitForIt(inputs.bool("wait"))
                .timeout(inputs.duration("timeout", Duration.ofMinutes(30)))
                .forceBuild(inputs.bool("force-build"))
                .buildLogs(logPolicy(inputs.choice("print-build-logs", "on-failure", LOG_CHOICES)))
                .deployLogs(logPolicy(inputs.choice("print-deploy-logs", "on-failure", LOG_CHOICES)))
                .preview(inputs.bool("preview"))
                .dryRun(inputs.bool("dry-run"))
                .github(inputs.secret("github-token"), inputs.bool("github-deployment"), inputs.string("environment"),
                        inputs.string("production-environment"))
                .event(ctx.github().pullRequestNumber(), ctx.github().eventName());
        AnchorInputs.apply(ctx, settings);
        new DeployFlow(ctx, settings.build()).run();
    }

    static LogPolicy logPolicy(String v) {
        return switch (v) {
            case "always", "true" -> LogPolicy.ALWAYS;
            case "never", "false" -> LogPolicy.NEVER;
            default -> LogPolicy.ON_FAILURE;
        };
    }
}
