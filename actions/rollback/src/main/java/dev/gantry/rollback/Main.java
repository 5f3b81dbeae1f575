package dev.gantry.rollback;

import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.ActionRunner;
import dev.gantry.common.action.InputException;
import dev.gantry.common.action.Inputs;
import dev.gantry.common.http.BaseUrl;
import dev.gantry.common.http.WarmUp;
import dev.gantry.common.vercel.ProjectLink;
import dev.gantry.smoketest.engine.CheckFileException;
import dev.gantry.smoketest.engine.CheckSuite;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.gantry.common.http.Deadline;

import java.time.Duration;
import java.util.Map;

/** The rollback action: reads and checks every input, then runs {@link RollbackFlow} with the provider's side. */
public final class Main {
    static final String DIGITALOCEAN_API = "https://api.digitalocean.com";
    static final String VERCEL_API = "https://api.vercel.com";

    private Main() {
    }

    public static void main(String[] args) {
        WarmUp.start(); // TLS and Jackson set-up on a spare core while the inputs are read
        ActionRunner.main(Main.class, Main::run, args);
    }

    public static void run(ActionContext ctx) {
        Inputs inputs = ctx.inputs();
        String provider = inputs.choice("provider", null, "digitalocean", "vercel");
        inputs.required("provider");
        String token = inputs.secret("token");
        String appName = inputs.string("app-name");
        String appId = inputs.string("app-id");
        String vercelToken = inputs.secret("vercel-token");
        String vercelOrgId = inputs.string("vercel-org-id");
        String vercelProjectId = inputs.string("vercel-project-id");
        String target = inputs.string("target");
        String reason = inputs.string("reason");
        Duration timeout = inputs.duration("timeout", Duration.ofMinutes(10));
        if (timeout.isZero() || timeout.isNegative()) throw InputException.invalid("timeout", "must be longer than 0");
        boolean dryRun = inputs.bool("dry-run");
        boolean commit = inputs.bool("commit");
        boolean revert = inputs.bool("revert");
        boolean undo = inputs.bool("undo");
        URI verifyUrl = inputs.url("verify-url", null);
        String verifyChecks = inputs.string("verify-checks");
        Map<String, String> verifySecrets = inputs.keyValues("verify-secrets", true);
        Duration verifyTimeout = inputs.duration("verify-timeout", Duration.ofMinutes(2));
        if (verifyTimeout.isNegative()) throw InputException.invalid("verify-timeout", "must not be negative");
        String incident = inputs.choice("incident", "true", "true", "false", "on-failure");
        String githubToken = inputs.secret("github-token");
        String environment = inputs.string("environment");
        boolean digitalocean = provider.equals("digitalocean");
        URI apiUrl = BaseUrl.check("api-url", inputs.url("api-url", digitalocean ? DIGITALOCEAN_API : VERCEL_API));

        if (digitalocean) {
            if (token.isEmpty()) throw new InputException("token", "Input required and not supplied: token (the "
                    + "DigitalOcean API token, for provider digitalocean)");
            if (appName.isEmpty() == appId.isEmpty()) {
                throw InputException.invalid(appName.isEmpty() ? "app-name" : "app-id", appName.isEmpty()
                        ? "or app-id must name the app to roll back" : "and app-name are both set; set one of them");
            }
            if (undo) throw InputException.invalid("undo", "is for provider vercel; on DigitalOcean use revert: true");
            if (commit && revert) throw InputException.invalid("revert", "and commit are both true; choose one");
            if (revert && !target.isEmpty()) {
                throw InputException.invalid("target", "must be empty with revert: true (a revert goes back to the spec "
                        + "from before the pinned rollback)");
            }
        } else {
            if (vercelToken.isEmpty()) throw new InputException("vercel-token", "Input required and not supplied: "
                    + "vercel-token (for provider vercel)");
            if (commit) throw InputException.invalid("commit", "is for provider digitalocean (Vercel rollbacks are not pinned)");
            if (revert) throw InputException.invalid("revert", "is for provider digitalocean; on Vercel use undo: true");
            if (vercelProjectId.isEmpty() || vercelOrgId.isEmpty()) {
                Path dir = inputs.workspacePath("working-directory", ".");
                ProjectLink linked = linkedProject(dir, ctx.github().workspace());
                if (linked != null && vercelProjectId.isEmpty()) vercelProjectId = linked.projectId();
                if (linked != null && vercelOrgId.isEmpty() && linked.teamId() != null) vercelOrgId = linked.teamId();
            }
            if (vercelProjectId.isEmpty()) {
                throw new InputException("vercel-project-id", "Input required and not supplied: vercel-project-id (and "
                        + "there is no .vercel/project.json in working-directory, nor a .vercel/repo.json entry for it)");
            }
        }

        CheckSuite checks = null;
        if (verifyUrl != null) {
            checks = suite(verifyChecks, ctx.github().workspace());
        } else if (!verifyChecks.isEmpty()) {
            throw InputException.invalid("verify-checks", "is set but verify-url is empty; give the URL to verify");
        }

        Settings s = new Settings(provider, apiUrl, target, reason, timeout, dryRun, commit, revert, undo, verifyUrl,
                checks, verifySecrets, verifyTimeout, Settings.Incident.of(incident), githubToken, environment);
        Deadline deadline = ctx.deadline("timeout", timeout);
        RollbackProvider side = digitalocean
                ? new DigitalOceanRollback(ctx.log(), s, apiUrl, token, appName, appId, deadline)
                : new VercelRollback(ctx.log(), s, apiUrl, vercelToken, vercelOrgId, vercelProjectId, deadline);
        new RollbackFlow(ctx, s, side, deadline).run();
    }

    private static ProjectLink linkedProject(Path dir, Path workspace) {
        try {
            return ProjectLink.find(dir, workspace).orElse(null);
        } catch (ProjectLink.LinkException e) {
            throw InputException.invalid("vercel-project-id", "is empty and " + e.getMessage());
        }
    }

    /** The verification checks: inline YAML, a file in the workspace, or the default (GET / answers 2xx). */
    static CheckSuite suite(String value, Path workspace) {
        if (value.isEmpty()) return CheckSuite.defaultSuite();
        String yaml;
        String source;
        if (value.contains("\n") || value.startsWith("checks:") || value.startsWith("- ")) {
            yaml = value;
            source = "<inline verify-checks>";
        } else {
            Path file = workspace.resolve(value).normalize();
            if (!Files.isRegularFile(file)) {
                throw InputException.invalid("verify-checks", "names a file that does not exist: " + value
                        + " (relative to the workspace); give a path or inline YAML");
            }
            try {
                yaml = Files.readString(file);
            } catch (IOException e) {
                throw InputException.invalid("verify-checks", "names a file that cannot be read: " + value);
            }
            source = value;
        }
        try {
            return CheckSuite.parse(yaml, source);
        } catch (CheckFileException e) {
            throw InputException.invalid("verify-checks", e.getMessage());
        }
    }
}
