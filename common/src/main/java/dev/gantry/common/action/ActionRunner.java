package dev.gantry.common.action;

import dev.gantry.common.http.Time;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs one action the way every Gantry {@code Main} does: builds the context, runs the flow, turns failures
 * into one {@code ::error::} line and an exit code, and always writes the {@code result} output and a step summary.
 *
 * <p>Outside Actions, inputs also come from {@code --input name=value} arguments.
 */
public final class ActionRunner {

    /** An action's flow. */
    @FunctionalInterface
    public interface Action {
        void run(ActionContext ctx) throws Exception;
    }

    private ActionRunner() {
    }

    /** Entry point for a {@code main}: runs and exits with the action's code. */
    public static void main(Class<?> anchor, Action action, String[] args) {
        int code = run(ActionMetadata.fromClasspath(anchor), action, args, System.getenv(), System.out, Time.SYSTEM);
        System.out.flush();
        System.exit(code);
    }

    /** Runs the action on the system clock and returns its exit code; never throws. */
    public static int run(ActionMetadata metadata, Action action, String[] args, Map<String, String> environment,
                          PrintStream out) {
        return run(metadata, action, args, environment, out, Time.SYSTEM);
    }

    /**
     * Runs the action with {@code time} as its clock and sleep (tests pass a virtual one) and returns its exit
     * code; never throws. Every exit writes a step summary: the action's own, or, where it wrote none (bad input, a
     * provider error before any report), the verdict and the reason.
     */
    public static int run(ActionMetadata metadata, Action action, String[] args, Map<String, String> environment,
                          PrintStream out, Time time) {
        Map<String, String> env = new HashMap<>(environment);
        ActionContext ctx;
        try {
            env.putAll(argumentInputs(args));
            ctx = new ActionContext(env, out, metadata, time);
        } catch (InputException e) {
            out.print("::error::" + Log.escapeData(Log.clean(e.getMessage())) + "\n");
            return ExitCode.BAD_INPUT.code();
        }
        ExitCode code = ExitCode.PASSED;
        String result = null;
        String reason = null;
        boolean ours = false; // the action's own failure (a bug, out of memory), not the provider's
        try {
            action.run(ctx);
        } catch (ActionException e) {
            code = e.exitCode();
            result = e.result();
            reason = e.getMessage();
            ctx.log().endGroup();
            ctx.log().error(e.getMessage(), e.annotation() == null ? Annotation.NONE : e.annotation());
            debugTrace(ctx, e);
        } catch (OutOfMemoryError e) {
            code = ExitCode.PROVIDER_ERROR;
            ours = true;
            reason = "Gantry ran out of memory (" + e.getMessage() + "). This is a failure of the action itself, "
                    + "not of the provider or the app: please report it.";
            ctx.log().endGroup();
            ctx.log().error(reason);
        } catch (Exception | LinkageError | StackOverflowError e) {
            code = ExitCode.PROVIDER_ERROR;
            ours = true;
            reason = "Unexpected error: " + e;
            ctx.log().endGroup();
            ctx.log().error(reason + (ctx.log().isDebug() ? "" : " (set RUNNER_DEBUG=1 for the stack trace)"));
            debugTrace(ctx, e);
        } finally {
            ctx.log().endGroup();
        }
        try {
            Summary summary = ctx.summary();
            if (!summary.hasContent()) {
                verdict(summary, metadata.name(), code, result, reason, ours);
            } else if (reason != null && !summary.mentions(reason)) {
                summary.paragraph(Markdown.format("**%s:** %s", code == ExitCode.FAILED ? "Why" : "Error", reason));
            }
            String ended = result != null ? result
                    : ctx.commands().outputs().getOrDefault("result", code.defaultResult());
            runExitSteps(ctx, new ActionContext.Ending(code, ended, reason, summary));
            if (!summary.isEmpty()) summary.write();
        } catch (RuntimeException e) {
            ctx.log().warning("Could not write the step summary: " + e.getMessage());
        }
        if (!ctx.commands().hasOutput("result") || result != null) {
            ctx.result(result != null ? result : code.defaultResult());
        }
        return code.code();
    }

    /** {@link ActionContext#atExit} steps, each on its own: one that fails is a warning, never the run's verdict. */
    private static void runExitSteps(ActionContext ctx, ActionContext.Ending ending) {
        for (ActionContext.ExitListener step : ctx.exitSteps()) {
            try {
                step.ended(ending);
            } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
                ctx.log().warning("A clean-up step at the end of the action failed: " + e);
            }
        }
    }

    /** The summary of a run that wrote none: the verdict first, then the reason. */
    static void verdict(Summary summary, String action, ExitCode code, String result, String reason, boolean ours) {
        String name = action == null || action.isBlank() ? "The action" : action;
        if (ours) {
            summary.heading("💥 " + name + ": internal error", 3);
            if (reason != null) summary.paragraph(reason);
            summary.paragraph("This is a failure of Gantry itself, not of the provider or the app. Re-running the job "
                    + "is safe; please report it with the log.");
            return;
        }
        String head = switch (code) {
            case PASSED -> "✅ " + name + ": done";
            case FAILED -> ("timeout".equals(result) ? "⏱️ " + name + ": timed out" : "❌ " + name + ": failed");
            case BAD_INPUT -> "⚠️ " + name + ": invalid input or configuration";
            case PROVIDER_ERROR -> "🔥 " + name + ": provider or infrastructure error";
        };
        summary.heading(head, 3);
        if (reason != null) summary.paragraph(reason);
        String next = switch (code) {
            case BAD_INPUT -> "Nothing was changed. Fix the input named above and run the step again.";
            case PROVIDER_ERROR -> "The provider or the infrastructure failed after retries; the message above is "
                    + "what it said. Re-running the job is safe.";
            default -> null;
        };
        if (next != null) summary.paragraph(next);
    }

    private static void debugTrace(ActionContext ctx, Throwable e) {
        if (ctx.log().isDebug()) {
            StringWriter w = new StringWriter();
            e.printStackTrace(new PrintWriter(w));
            ctx.log().debug(w.toString());
        }
    }

    /** {@code --input name=value} (repeatable) becomes {@code INPUT_NAME=value}. */
    static Map<String, String> argumentInputs(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String spec;
            if (a.equals("--input") && i + 1 < args.length) {
                spec = args[++i];
            } else if (a.startsWith("--input=")) {
                spec = a.substring("--input=".length());
            } else {
                throw new InputException(null, "Unknown argument '" + a + "'. Usage: --input name=value ...");
            }
            int eq = spec.indexOf('=');
            if (eq <= 0) {
                throw new InputException(null, "--input takes name=value (got '" + spec + "')");
            }
            out.put(Inputs.variableName(spec.substring(0, eq)), spec.substring(eq + 1));
        }
        return out;
    }
}
