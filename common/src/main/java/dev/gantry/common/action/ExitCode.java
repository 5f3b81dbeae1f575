package dev.gantry.common.action;

/** The exit codes every Gantry action uses; the runner only tells zero from non-zero, people read the rest. */
public enum ExitCode {
    /** The action did what it was asked and every gate passed. */
    PASSED(0, "success"),
    /** The check, gate or deploy failed. */
    FAILED(1, "failure"),
    /** An input or the configuration is wrong; the error names the input. */
    BAD_INPUT(2, "invalid-input"),
    /** A provider or the infrastructure failed after retries. */
    PROVIDER_ERROR(3, "error");

    private final int code;
    private final String defaultResult;

    ExitCode(int code, String defaultResult) {
        this.code = code;
        this.defaultResult = defaultResult;
    }

    public int code() {
        return code;
    }

    /** The {@code result} output written when the action did not choose one itself. */
    public String defaultResult() {
        return defaultResult;
    }
}
