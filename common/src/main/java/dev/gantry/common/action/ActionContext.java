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
    private final List<ExitListener> atExit = new ArrayList<>();
    private final Notice notice = new Notice();
    private Deadline stepDeadline;

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
        Deadline d = Deadline.after(timeout, time, input + ": " + (raw.isEmpty() ? Durations.human(timeout) : raw));
        if (stepDeadline == null) stepDeadline = d;
        return d;
    }

    /**
     * The step's deadline: the first one {@link #deadline} made, or empty when the action has none (it failed
     * before it read its timeout, or it has no timeout input). What runs at the end (a message to the team) keeps
     * to it; the message of a step whose time is up gets a few seconds of its own (SlackNotifier.AFTER_END).
     */
    public java.util.Optional<Deadline> stepDeadline() {
        return java.util.Optional.ofNullable(stepDeadline);
    }

    /**
     * What this step tells the team when it ends (a Slack message): the facts the action gathered as it went.
     * Filled by the action's flow; rendered, however the step ends, by whoever listens {@link #atExit}.
     */
    public Notice notice() {
        return notice;
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
     * How the action ended, as the runner will report it: the exit code, the {@code result} output, the reason
     * (the message of the failure, or null when it passed) and the step summary, still open for additions.
     */
    public record Ending(ExitCode code, String result, String reason, Summary summary) {
        public boolean failed() {
            return code != ExitCode.PASSED;
        }
    }

    /** What runs when the action ends, told how it ended. */
    @FunctionalInterface
    public interface ExitListener {
        void ended(Ending ending);
    }

    /**
     * Runs {@code step} when the action ends, however it ends (exit 0 to 3), after the action's own summary and
     * before the summary is written: for what must be finished whatever happened (a deployment record's last
     * status) and what it has to tell the reader, which it appends to the summary it is given. Steps run in the
     * order they were registered; one that throws is reported as a warning and the others still run.
     */
    public void atExit(ExitStep step) {
        java.util.Objects.requireNonNull(step);
        atExit.add(e -> step.run(e.failed(), e.summary()));
    }

    /**
     * As {@link #atExit(ExitStep)}, for a step that needs to know how the action ended ({@link Ending}): the exit
     * code, the {@code result} and the reason. Both kinds run in the order they were registered.
     */
    public void atEnd(ExitListener listener) {
        atExit.add(java.util.Objects.requireNonNull(listener));
    }

    List<ExitListener> exitSteps() {
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
