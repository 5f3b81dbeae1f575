package dev.gantry.common.action;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs one action the way every Gantry {@code Main} does: builds the context, runs the flow, turns failures
 * into one {@code ::error::} line and an exit code, and always writes the {@code result} output.
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
        int code = run(ActionMetadata.fromClasspath(anchor), action, args, System.getenv(), System.out);
        System.out.flush();
        System.exit(code);
    }

    /** Runs the action and returns its exit code; never throws. */
    public static int run(ActionMetadata metadata, Action action, String[] args, Map<String, String> environment,
                          PrintStream out) {
        Map<String, String> env = new HashMap<>(environment);
        ActionContext ctx;
        try {
            env.putAll(argumentInputs(args));
            ctx = new ActionContext(env, out, metadata);
        } catch (InputException e) {
            out.print("::error::" + Log.escapeData(e.getMessage()) + "\n");
            return ExitCode.BAD_INPUT.code();
        }
        ExitCode code = ExitCode.PASSED;
        String result = null;
        try {
            action.run(ctx);
        } catch (ActionException e) {
            code = e.exitCode();
            result = e.result();
            ctx.log().endGroup();
            ctx.log().error(e.getMessage(), e.annotation() == null ? Annotation.NONE : e.annotation());
            debugTrace(ctx, e);
        } catch (Exception | LinkageError | StackOverflowError | OutOfMemoryError e) {
            code = ExitCode.PROVIDER_ERROR;
            ctx.log().endGroup();
            ctx.log().error("Unexpected error: " + e + (ctx.log().isDebug() ? "" : " (set RUNNER_DEBUG=1 for the stack trace)"));
            debugTrace(ctx, e);
        } finally {
            ctx.log().endGroup();
        }
        try {
            if (!ctx.summary().isEmpty()) ctx.summary().write();
        } catch (RuntimeException e) {
            ctx.log().warning("Could not write the step summary: " + e.getMessage());
        }
        if (!ctx.commands().hasOutput("result") || result != null) {
            ctx.result(result != null ? result : code.defaultResult());
        }
        return code.code();
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
