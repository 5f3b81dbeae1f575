package dev.gantry.smoketest;

import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.ActionException;
import dev.gantry.common.action.ActionRunner;
import dev.gantry.common.action.Inputs;

/** The smoke-test action. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        ActionRunner.main(Main.class, Main::run, args);
    }

    public static void run(ActionContext ctx) {
        Inputs inputs = ctx.inputs();
        inputs.url("url", null);
        inputs.required("url");
        throw ActionException.failed("smoke-test: the deploy flow is not built yet");
    }
}
