package dev.gantry.actiontests.containers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The {@code docker} CLI, run the way the runner runs it: a child process, output and exit code read back. */
public final class Docker {
    /** What a command printed (stdout and stderr interleaved, as the runner's log shows them) and its exit code. */
    public record Result(int exitCode, String output) {
        public Result requireSuccess(String what) {
            if (exitCode != 0) throw new IllegalStateException(what + " failed (exit " + exitCode + "):\n" + output);
            return this;
        }
    }

    private static volatile Optional<String> unavailable;

    private Docker() {
    }

    /** Why no container can run here (no CLI, no daemon answering), or empty when one can. */
    public static Optional<String> unavailableReason() {
        Optional<String> r = unavailable;
        if (r == null) {
            synchronized (Docker.class) {
                r = unavailable;
                if (r == null) {
                    r = probe();
                    unavailable = r;
                    r.ifPresent(reason -> System.out.println("[containers] skipped: " + reason));
                }
            }
        }
        return r;
    }

    private static Optional<String> probe() {
        try {
            Result info = run(List.of("docker", "info", "--format", "{{.ServerVersion}}"), Map.of(), Duration.ofSeconds(20));
            if (info.exitCode() != 0) {
                return Optional.of("no Docker daemon answers `docker info` (start one with .ci/setup-docker): "
                        + info.output().strip());
            }
            return Optional.empty();
        } catch (UncheckedIOException e) {
            return Optional.of("no docker CLI on PATH (" + e.getCause().getMessage() + ")");
        }
    }

    /**
     * Runs {@code command} with {@code environment} added to this process's environment (the way the runner hands
     * values to {@code docker run -e NAME}), and waits up to {@code timeout}; a command still running then is
     * killed and reported as exit 124.
     */
    public static Result run(List<String> command, Map<String, String> environment, Duration timeout) {
        Path out = null;
        try {
            out = Files.createTempFile("gantry-docker-", ".log");
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().putAll(environment);
            Process p = pb.start();
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            return new Result(done ? p.exitValue() : 124, done ? text : text + "\n[timed out after " + timeout + "]");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temp file; the OS cleans up
                }
            }
        }
    }
}
