package dev.gantry.rollback;

import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.ActionRunner;
import dev.gantry.common.action.InputException;
import dev.gantry.common.action.Inputs;
import dev.gantry.common.http.Deadline;
import dev.gantry.common.vercel.ProjectLink;
import dev.gantry.common.http.WarmUp;
import dev.gantry.common.slack.SlackNotifier;
import dev.gantry.checks.ChecksInput;

import java.nio.file.Path;
import java.time.Duration;

/** The rollback action: inputs → {@link Settings} (checked when built) → {@link RollbackFlow} with the provider's side. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        WarmUp.start(); // TLS and Jackson set-up on a spare core while the inputs are read
        ActionRunner.main(Main.class, Main::run, args);
    }

    public static void run(ActionContext ctx) {
        SlackNotifier.forStep(ctx); // first: a later input error is told too
        Inputs inputs = ctx.inputs();
        String provider = inputs.choice("provider", null, "digitalocean", "vercel");
        inputs.required("provider");
        Path workspace = ctx.github().workspace();
        Settings s = Settings.builder(provider)
                .apiUrl(inputs.url("api-url", null))
                .digitalOcean(inputs.secret("token"), inputs.string("app-name"), inputs.string("app-id"))
                .vercel(inputs.secret("vercel-token"), inputs.string("vercel-org-id"), inputs.string("vercel-project-id"),
                        () -> linkedProject(inputs, workspace))
                .target(inputs.string("target"))
                .reason(inputs.string("reason"))
                .timeout(inputs.duration("timeout", Duration.ofMinutes(10)))
                .dryRun(inputs.bool("dry-run"))
                .commit(inputs.bool("commit"))
                .revert(inputs.bool("revert"))
                .undo(inputs.bool("undo"))
                .verify(inputs.url("verify-url", null), inputs.string("verify-checks"), checks -> ChecksInput.read("verify-checks", checks, workspace),
                        inputs.keyValues("verify-secrets", true), inputs.duration("verify-timeout", Duration.ofMinutes(2)))
                .incident(inputs.choice("incident", "true", "true", "false", "on-failure"))
                .github(inputs.secret("github-token"), inputs.string("environment"), inputs.string("production-environment"))
                .build();
        Deadline deadline = ctx.deadline("timeout", s.timeout());
        RollbackProvider side = s.digitalocean()
                ? new DigitalOceanRollback(ctx.log(), s, s.apiUrl(), s.token(), s.appName(), s.appId(), deadline)
                : new VercelRollback(ctx.log(), s, s.apiUrl(), s.vercelToken(), s.vercelOrgId(), s.vercelProjectId(),
                        deadline);
        new RollbackFlow(ctx, s, side, deadline).run();
    }

    /**
     * The Vercel project linked to {@code working-directory} ({@code .vercel/project.json} there, else its entry in the
     * repository's {@code .vercel/repo.json}), or null when there is none; read as vercel-deploy reads it.
     */
    private static ProjectLink linkedProject(Inputs inputs, Path workspace) {
        try {
            return ProjectLink.find(inputs.workspacePath("working-directory", "."), workspace).orElse(null);
        } catch (ProjectLink.LinkException e) {
            throw InputException.invalid("vercel-project-id", "is empty and " + e.getMessage());
        }
    }
}
