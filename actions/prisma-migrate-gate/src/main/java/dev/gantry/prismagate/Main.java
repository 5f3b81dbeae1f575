package dev.gantry.prismagate;

import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.ActionException;
import dev.gantry.common.action.ActionRunner;
import dev.gantry.common.action.Inputs;

/** The prisma-migrate-gate action. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        ActionRunner.main(Main.class, Main::run, args);
    }

    public static void run(ActionContext ctx) {
        Inputs inputs = ctx.inputs();
        inputs.secret("database-url");
        inputs.string("migrations-dir");
        inputs.choice("mode", "check", "check", "apply");
        throw ActionException.failed("prisma-migrate-gate: the deploy flow is not built yet");
    }
}
