package dev.gantry.prismagate;

import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.ActionRunner;
import dev.gantry.common.action.InputException;
import dev.gantry.common.action.Inputs;
import dev.gantry.common.slack.SlackNotifier;

import java.time.Duration;

/** The prisma-migrate-gate action: inputs → {@link Settings} → {@link Gate} (or {@link Restore}). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        ActionRunner.main(Main.class, Main::run, args);
    }

    public static void run(ActionContext ctx) throws Exception {
        SlackNotifier.forStep(ctx); // first: a later input error is told too
        Settings settings;
        try {
            settings = settings(ctx);
        } catch (InputException e) {
            Report.inputError(ctx.summary(), e);
            throw e;
        }
        if (settings.database() != null && settings.database().password() != null) {
            ctx.log().addMask(settings.database().password());
        }
        ctx.notice().environment(settings.environment()).subject("Database",
                settings.database() == null ? "none (lint only)" : settings.database().display());
        if (settings.mode() == Settings.Mode.RESTORE) {
            new Restore(ctx, settings).run();
        } else {
            new Gate(ctx, settings).run();
        }
    }

    static Settings settings(ActionContext ctx) {
        Inputs inputs = ctx.inputs();
        return Settings.builder(ctx.github().workspace())
                .databaseUrl(inputs.secret("database-url"))
                .migrationsDir(inputs.string("migrations-dir"))
                .mode(inputs.choice("mode", "check", "check", "apply", "restore"))
                .environment(inputs.string("environment"))
                .allowDestructive(inputs.bool("allow-destructive"), inputs.string("allow-label"), ctx.github().pullRequestLabels())
                .rules(String.join(",", inputs.multiline("rules")))
                .failOn(inputs.choice("fail-on", "error", "error", "warning"))
                .timeout(inputs.duration("timeout", Duration.ofMinutes(30)))
                .lockTimeout(inputs.duration("lock-timeout", Duration.ofSeconds(10)))
                .statementTimeout(inputs.duration("statement-timeout", Duration.ZERO))
                .dataCheck(inputs.bool("data-check"))
                .backup(inputs.bool("backup"))
                .backupId(inputs.string("backup-id"))
                .planHash(inputs.string("plan-hash"))
                .githubToken(inputs.secret("github-token"))
                .build();
    }
}
