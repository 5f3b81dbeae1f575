package dev.gantry.dodeploy;

import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.ActionException;
import dev.gantry.common.action.ActionRunner;
import dev.gantry.common.action.Inputs;

/** The do-deploy action. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        ActionRunner.main(Main.class, Main::run, args);
    }

    public static void run(ActionContext ctx) {
        Inputs inputs = ctx.inputs();
        inputs.requiredSecret("token");
        inputs.url("api-url", "https://api.digitalocean.com");
        inputs.secret("github-token");
        throw ActionException.failed("do-deploy: the deploy flow is not built yet");
    }
}
