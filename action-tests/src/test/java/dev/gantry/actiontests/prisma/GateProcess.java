package dev.gantry.actiontests.prisma;

import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The gate in a process of its own, as the runner starts the container: so that a test can kill it with SIGKILL
 * (a cancelled job, a runner out of memory) at the moment it chooses. Output goes to a file of the run folder.
 */
final class GateProcess implements AutoCloseable {
    private final ActionRun run;
    private final Map<String, String> env;
    private final Process process;
    private final Path log;

    private GateProcess(ActionRun run, List<String> jvmOptions) throws IOException {
        this.run = run;
        this.env = run.environment();
        this.log = run.runDir().resolve("child.log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        // as in the gate's image: its own module and the libraries, no other action (each has an action.yml at its root)
        List<String> cp = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            boolean otherAction = e.contains("/actions/") && !e.contains("/actions/prisma-migrate-gate/");
            if (!otherAction && !e.contains("/action-tests/")) cp.add(e);
        }
        cmd.add(String.join(File.pathSeparator, cp));
        cmd.add("dev.gantry.prismagate.Main");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        this.process = pb.start();
    }

    static GateProcess start(ActionRun run) throws IOException {
        return new GateProcess(run, List.of());
    }

    /** With JVM options, e.g. {@code -Djdk.net.hosts.file=…} to resolve a provider's host name to loopback. */
    static GateProcess start(ActionRun run, List<String> jvmOptions) throws IOException {
        return new GateProcess(run, jvmOptions);
    }

    boolean alive() {
        return process.isAlive();
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** SIGKILL: no shutdown hooks, no cleanup, the socket closed by the kernel. Returns the exit status (137). */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        return process.exitValue();
    }

    /** Waits for the process to end on its own (bounded) and reads what it left, as the runner would. */
    ActionResult await(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the gate did not end within " + seconds + " s; log:\n" + log());
        }
        return ActionRun.collect(process.exitValue(), log(), env);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) kill();
    }

    ActionRun run() {
        return run;
    }
}
