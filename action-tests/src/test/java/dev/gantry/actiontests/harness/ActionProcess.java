package dev.gantry.actiontests.harness;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An action in a JVM of its own, as the runner starts its container: with the classpath of its image (its own module
 * and the libraries, no other action), the environment the runner gives it, and JVM options of the test's choosing
 * (a small heap, a hosts file). A test can kill it with SIGKILL (a cancelled job, a runner out of memory) at the
 * moment it chooses, and measure how long it really took. Output goes to a file of the run folder.
 */
public final class ActionProcess implements AutoCloseable {
    private final ActionRun run;
    private final Map<String, String> env;
    private final Process process;
    private final Path log;

    private final long started = System.nanoTime();
    private long ended;

    private ActionProcess(ActionRun run, List<String> jvmOptions) throws IOException {
        this.run = run;
        this.env = run.environment();
        this.log = run.runDir().resolve("child.log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        // as in the action's image: its own module and the libraries, no other action (each has an action.yml at its root)
        List<String> cp = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            boolean otherAction = e.contains("/actions/") && !e.contains("/actions/" + run.action() + "/");
            if (!otherAction && !e.contains("/action-tests/")) cp.add(e);
        }
        cmd.add(String.join(File.pathSeparator, cp));
        cmd.add("dev.gantry." + Project.ACTIONS.get(run.action()) + ".Main");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        this.process = pb.start();
    }

    public static ActionProcess start(ActionRun run) throws IOException {
        return new ActionProcess(run, List.of());
    }

    /** With JVM options, e.g. {@code -Xmx256m}, or {@code -Djdk.net.hosts.file=…} to resolve a provider's host to loopback. */
    public static ActionProcess start(ActionRun run, List<String> jvmOptions) throws IOException {
        return new ActionProcess(run, jvmOptions);
    }

    public boolean alive() {
        return process.isAlive();
    }

    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** SIGKILL: no shutdown hooks, no cleanup, the socket closed by the kernel. Returns the exit status (137). */
    public int kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        return process.exitValue();
    }

    /** Waits for the process to end on its own (bounded) and reads what it left, as the runner would. */
    public ActionResult await(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(run.action() + " did not end within " + seconds + " s; log:\n" + log());
        }
        ended = System.nanoTime();
        return ActionRun.collect(process.exitValue(), log(), env);
    }

    /** How long the process ran (until {@link #await} saw it end; until now while it runs). */
    public java.time.Duration elapsed() {
        return java.time.Duration.ofNanos((ended == 0 ? System.nanoTime() : ended) - started);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) kill();
    }

    public ActionRun run() {
        return run;
    }
}
