package dev.gantry.prismagate;

import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.ActionRunner;
import dev.gantry.common.action.InputException;
import dev.gantry.common.action.Inputs;

import java.time.Duration;

/** The prisma-migrate-gate action: inputs → {@link Settings} → {@link Gate} (or {@link Restore}). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        ActionRunner.main(Main.class, Main::run, args);
    }

    public static void run(ActionContext ctx) throws Exception {
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
        if (settings.mode() == Settings.Mode.RESTORE) {
            new Restore(ctx, settings).run();
        } else {
            new Gate(ctx, settings).run();
        }
    }

    static Settings settings(ActionContext ctx) {
        Inputs in = ctx.inputs();
        return Settings.builder(ctx.github().workspace())
                .databaseUrl(in.secret("database-url"))
                .migrationsDir(in.string("migrations-dir"))
                .mode(in.choice("mode", "check", "check", "apply", "restore"))
                .environment(in.string("environment"))
                .allowDestructive(in.bool("allow-destructive"), in.string("allow-label"), ctx.github().pullRequestLabels())
                .rules(String.join(",", in.multiline("rules")))
                .failOn(in.choice("fail-on", "error", "error", "warning"))
                .timeout(in.duration("timeout", Duration.ofMinutes(30)))
                .lockTimeout(in.duration("lock-timeout", Duration.ofSeconds(10)))
                .statementTimeout(in.duration("statement-timeout", Duration.ZERO))
                .dataCheck(in.bool("data-check"))
                .backup(in.bool("backup"))
                .backupId(in.string("backup-id"))
                .planHash(in.string("plan-hash"))
                .githubToken(in.secret("github-token"))
                .build();
    }
}
