package dev.gantry.common.action;

/**
 * A failure the action reports as one {@code ::error::} line and an exit code. Subclasses say which code;
 * the message is what a person reads at 2 a.m., so it says what went wrong and what to do.
 */
public class ActionException extends RuntimeException {
    private final ExitCode exitCode;
    private final String result;
    private final Annotation annotation;

    public ActionException(ExitCode exitCode, String message) {
        this(exitCode, message, null, null, null);
    }

    public ActionException(ExitCode exitCode, String message, Throwable cause) {
        this(exitCode, message, null, null, cause);
    }

    public ActionException(ExitCode exitCode, String message, String result, Annotation annotation, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.result = result;
        this.annotation = annotation;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    /** The {@code result} output to write, or null for the exit code's default. */
    public String result() {
        return result;
    }

    /** Where the error annotation points, or null. */
    public Annotation annotation() {
        return annotation;
    }

    /** Exit 1: the gate, check or deploy failed. */
    public static ActionException failed(String message) {
        return new ActionException(ExitCode.FAILED, message);
    }

    /** Exit 1 with a specific {@code result} output. */
    public static ActionException failed(String message, String result) {
        return new ActionException(ExitCode.FAILED, message, result, null, null);
    }
}
