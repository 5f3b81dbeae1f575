package dev.gantry.rollback;

import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.ActionException;
import dev.gantry.common.action.ActionRunner;
import dev.gantry.common.action.Inputs;

/** The rollback action. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        ActionRunner.main(Main.class, Main::run, args);
    }

    public static void run(ActionContext ctx) {
        Inputs inputs = ctx.inputs();
        inputs.choice("provider", null, "digitalocean", "vercel");
        inputs.required("provider");
        throw ActionException.failed("rollback: the deploy flow is not built yet");
    }
}
