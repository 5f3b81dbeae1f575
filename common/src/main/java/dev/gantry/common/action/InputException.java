package dev.gantry.common.action;

/** Exit 2: an input is missing or malformed. The message names the input. */
public final class InputException extends ActionException {
    private final String input;

    public InputException(String input, String message) {
        super(ExitCode.BAD_INPUT, message);
        this.input = input;
    }

    /** The input's name as declared in action.yml, or null for a configuration error not tied to one input. */
    public String input() {
        return input;
    }

    public static InputException invalid(String input, String problem) {
        return new InputException(input, "Input '" + input + "' " + problem);
    }
}
