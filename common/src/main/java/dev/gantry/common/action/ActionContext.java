package dev.gantry.common.action;

import dev.gantry.common.http.Deadline;
import dev.gantry.common.http.Time;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything an action's flow touches of the outside: inputs, outputs, log, summary, the GitHub context and
 * the environment. Built once by {@link ActionRunner}; tests build it with their own environment.
 */
public final class ActionContext {
    private final Map<String, String> env;
    private final Log log;
    private final Inputs inputs;
    private final FileCommands commands;
    private final Summary summary;
    private final GitHubContext github;
    private final Time time;
    private final List<ExitStep> atExit = new ArrayList<>();

    public ActionContext(Map<String, String> env, PrintStream out, ActionMetadata metadata) {
        this(env, out, metadata, Time.SYSTEM);
    }

    public ActionContext(Map<String, String> env, PrintStream out, ActionMetadata metadata, Time time) {
        this.time = time;
        this.env = Map.copyOf(env);
        this.log = new Log(out, "1".equals(env.get("RUNNER_DEBUG")));
        this.github = new GitHubContext(this.env);
        this.inputs = new Inputs(this.env, metadata, log, !github.isActions());
        this.commands = new FileCommands(this.env, log);
        this.summary = new Summary(this.env, log);
    }

    public Inputs inputs() {
        return inputs;
    }

    public Log log() {
        return log;
    }

    public Summary summary() {
        return summary;
    }

    public GitHubContext github() {
        return github;
    }

    /** The clock and sleep of every wait (virtual in tests). */
    public Time time() {
        return time;
    }

    /**
     * The step's deadline, {@code timeout} from now; {@code input} names the input it comes from, for messages
     * such as "the step's time is up (timeout: 10m)".
     */
    public Deadline deadline(String input, Duration timeout) {
        String raw = inputs.metadata().inputs().containsKey(input) ? inputs.string(input) : "";
        return Deadline.after(timeout, time, input + ": " + (raw.isEmpty() ? Durations.human(timeout) : raw));
    }

    public void setOutput(String name, String value) {
        commands.setOutput(name, value);
    }

    public void exportVariable(String name, String value) {
        commands.exportVariable(name, value);
    }

    public void saveState(String name, String value) {
        commands.saveState(name, value);
    }

    /** Sets the {@code result} output every action writes. */
    public void result(String value) {
        commands.setOutput("result", value);
    }

    FileCommands commands() {
        return commands;
    }

    /** What runs when the action ends: {@code failed} is true for every exit but 0. */
    @FunctionalInterface
    public interface ExitStep {
        void run(boolean failed, Summary summary);
    }

    /**
     * Runs {@code step} when the action ends, however it ends (exit 0 to 3), after the action's own summary and
     * before the summary is written: for what must be finished whatever happened (a deployment record's last
     * status) and what it has to tell the reader, which it appends to the summary it is given. Steps run in the
     * order they were registered; one that throws is reported as a warning and the others still run.
     */
    public void atExit(ExitStep step) {
        atExit.add(java.util.Objects.requireNonNull(step));
    }

    List<ExitStep> exitSteps() {
        return List.copyOf(atExit);
    }

    /** A variable of the step's environment (used for {@code ${VAR}} substitution and runner variables). */
    public String env(String name) {
        return env.get(name);
    }

    public Map<String, String> environment() {
        return env;
    }

    /** {@code RUNNER_TEMP}, else the JVM's temp directory. */
    public java.nio.file.Path tempDir() {
        String t = env.get("RUNNER_TEMP");
        return java.nio.file.Path.of(t == null || t.isBlank() ? System.getProperty("java.io.tmpdir") : t);
    }
}
