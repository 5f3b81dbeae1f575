package dev.gantry.smoketest;

import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.ActionRunner;
import dev.gantry.common.http.WarmUp;
import dev.gantry.common.slack.SlackNotifier;

/**
 * The smoke-test action: inputs → {@link Settings} (every input read and checked there) → {@link SmokeTest}.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        WarmUp.start(); // TLS and Jackson set-up on a spare core while the inputs are read
        ActionRunner.main(Main.class, Main::run, args);
    }

    public static void run(ActionContext ctx) {
        SlackNotifier.forStep(ctx); // first: a later input error is told too
        new SmokeTest(ctx, Settings.read(ctx)).run();
    }
}
