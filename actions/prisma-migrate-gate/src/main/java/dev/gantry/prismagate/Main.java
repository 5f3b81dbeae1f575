package dev.gantry.prismagate;

import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.ActionRunner;
import dev.gantry.common.action.InputException;
import dev.gantry.common.action.Inputs;
import dev.gantry.prismagate.db.DatabaseUrl;
import dev.gantry.prismagate.lint.RuleConfig;

import java.nio.file.Path;
import java.time.Duration;

/** The prisma-migrate-gate action: reads its inputs and hands them to {@link Gate}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        ActionRunner.main(Main.class, Main::run, args);
    }

    public static void run(ActionContext ctx) throws Exception {
        Inputs inputs = ctx.inputs();
        String url = inputs.secret("database-url");
        String githubToken = inputs.secret("github-token");
        DatabaseUrl database = null;
        if (!url.isEmpty()) {
            try {
                database = DatabaseUrl.parse(url);
            } catch (IllegalArgumentException e) {
                throw InputException.invalid("database-url", e.getMessage());
            }
            if (database.password() != null) ctx.log().addMask(database.password());
        }
        String migrationsDir = inputs.string("migrations-dir");
        String mode = inputs.choice("mode", "check", "check", "apply");
        if (mode.equals("apply") && database == null) {
            throw InputException.invalid("database-url", "is required with mode: apply");
        }
        String environment = inputs.string("environment");
        boolean allowDestructive = inputs.bool("allow-destructive");
        String allowLabel = inputs.string("allow-label");
        RuleConfig rules;
        try {
            rules = RuleConfig.parse(String.join(",", inputs.multiline("rules")));
        } catch (IllegalArgumentException e) {
            throw InputException.invalid("rules", e.getMessage());
        }
        String failOn = inputs.choice("fail-on", "error", "error", "warning");
        Duration lockTimeout = inputs.duration("lock-timeout", Duration.ofSeconds(10));
        Duration statementTimeout = inputs.duration("statement-timeout", Duration.ZERO);

        String allowedBy = null;
        if (allowDestructive) {
            allowedBy = "allow-destructive: true";
        } else if (!allowLabel.isEmpty() && ctx.github().pullRequestLabels().contains(allowLabel)) {
            allowedBy = "the pull request label `" + allowLabel + "`";
        }
        Path workspace = ctx.github().workspace();
        Gate.Settings settings = new Gate.Settings(workspace, migrationsDir, migrationsDir.equals("prisma/migrations"),
                mode.equals("apply"), environment, database, allowedBy, rules, failOn.equals("warning"), lockTimeout,
                statementTimeout, githubToken);
        new Gate(ctx, settings).run();
    }
}
