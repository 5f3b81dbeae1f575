package dev.gantry.verceldeploy;

import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.ActionException;
import dev.gantry.common.action.ActionRunner;
import dev.gantry.common.action.Inputs;

/** The vercel-deploy action. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        ActionRunner.main(Main.class, Main::run, args);
    }

    public static void run(ActionContext ctx) {
        Inputs inputs = ctx.inputs();
        inputs.requiredSecret("vercel-token");
        inputs.url("api-url", "https://api.vercel.com");
        inputs.secret("github-token");
        throw ActionException.failed("vercel-deploy: the deploy flow is not built yet");
    }
}
