package dev.gantry.verceldeploy;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The system's {@code tar}, as a second, independent reader of what {@link TgzArchive} writes. */
final class SystemTar {
    /** What one run printed and how it ended. */
    record Run(int exit, String out, String err) {
        Run ok() {
            if (exit != 0) throw new AssertionError("tar exited " + exit + ": " + err);
            return this;
        }
    }

    private static volatile String missing;
    private static volatile boolean probed;

    private SystemTar() {
    }

    /** Skips the calling test (with the reason, printed) when there is no usable {@code tar} on the PATH. */
    static void assumeAvailable() {
        if (!probed) {
            try {
                Run r = run("--version");
                missing = r.exit == 0 ? null : "tar --version exited " + r.exit + ": " + r.err;
            } catch (UncheckedIOException e) {
                missing = "no tar on the PATH (" + e.getCause().getMessage() + ")";
            }
            probed = true;
        }
        if (missing != null) System.out.println("SKIP system tar check: " + missing);
        Assumptions.assumeTrue(missing == null, () -> "system tar check skipped: " + missing);
    }

    /** Writes {@code bytes} to a file in {@code dir} and runs {@code tar <args> <that file>}. */
    static Run onBytes(Path dir, byte[] bytes, String... args) {
        try {
            Path f = Files.createTempFile(dir, "archive", ".tar");
            Files.write(f, bytes);
            List<String> all = new ArrayList<>(List.of(args));
            all.add(f.toString());
            return run(all.toArray(String[]::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Run run(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("tar");
        cmd.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("tar", ".out");
            Path err = Files.createTempFile("tar", ".err");
            try {
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
                pb.environment().put("LC_ALL", "C.UTF-8");
                Process p = pb.start();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("tar did not finish in 60 s: " + cmd);
                }
                return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
