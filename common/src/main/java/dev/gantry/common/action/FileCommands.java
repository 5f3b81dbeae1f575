package dev.gantry.common.action;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Outputs, exported variables and saved state, written to {@code GITHUB_OUTPUT}, {@code GITHUB_ENV} and
 * {@code GITHUB_STATE} in the heredoc form with a fresh random delimiter, exactly as
 * {@code prepareKeyValueMessage} of @actions/core does. Outside the runner (no file), outputs are printed.
 */
public final class FileCommands {
    private final Map<String, String> env;
    private final Log log;
    private final Supplier<String> delimiters;
    private final Map<String, String> outputs = new LinkedHashMap<>();

    public FileCommands(Map<String, String> env, Log log) {
        this(env, log, FileCommands::randomDelimiter);
    }

    /**
     * {@code ghadelimiter_} and a random version-4 UUID (@actions/core draws a v4 with {@code crypto.randomUUID};
     * the runner only needs a delimiter the value does not contain). From ThreadLocalRandom, not
     * SecureRandom: what keeps a value from ending early is that {@link #keyValueMessage} never uses a delimiter
     * that occurs in it, not that the delimiter is unguessable; and the first SecureRandom costs about 20 ms of a
     * cold start (provider set-up and seeding) for nothing else.
     */
    static String randomDelimiter() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return "ghadelimiter_" + new UUID(hi, lo);
    }

    FileCommands(Map<String, String> env, Log log, Supplier<String> delimiters) {
        this.env = env;
        this.log = log;
        this.delimiters = delimiters;
    }

    /**
     * Sets an output. A registered secret in the value is masked: the runner does not mask step outputs, and a
     * later step may print or publish them.
     */
    public void setOutput(String name, String value) {
        String v = value == null ? "" : value;
        if (log.containsSecret(v)) {
            v = log.mask(v);
            log.warning("The output '" + name + "' contained a secret; it was masked (***) in the output.");
        }
        outputs.put(name, v);
        if (!write("GITHUB_OUTPUT", name, v)) {
            log.info("output " + name + "=" + v);
        }
    }

    public void exportVariable(String name, String value) {
        if (!write("GITHUB_ENV", name, value == null ? "" : value)) {
            log.info("env " + name + "=" + log.mask(value));
        }
    }

    public void saveState(String name, String value) {
        write("GITHUB_STATE", name, value == null ? "" : value);
    }

    /** The outputs set so far in this run. */
    public Map<String, String> outputs() {
        return Map.copyOf(outputs);
    }

    public boolean hasOutput(String name) {
        return outputs.containsKey(name);
    }

    private boolean write(String fileVariable, String name, String value) {
        String file = env.get(fileVariable);
        if (file == null || file.isBlank()) {
            return false;
        }
        try {
            Files.writeString(Path.of(file), keyValueMessage(name, value), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + fileVariable + " (" + file + ")", e);
        }
        return true;
    }

    /**
     * {@code name<<DELIM\nvalue\nDELIM\n}. A delimiter that occurs in the name or value is never used: a new
     * one is drawn until it does not occur, so the runner can never end the value early.
     */
    String keyValueMessage(String name, String value) {
        return keyValueMessage(name, value, delimiters);
    }

    /** The heredoc form with delimiters drawn from {@code delimiters} until one occurs in neither part. */
    public static String keyValueMessage(String name, String value, Supplier<String> delimiters) {
        if (name.isEmpty() || name.contains("\n") || name.contains("\r")) {
            throw new IllegalArgumentException("invalid file command name: " + name);
        }
        String delimiter = delimiters.get();
        while (name.contains(delimiter) || value.contains(delimiter)) {
            delimiter = delimiters.get();
        }
        return name + "<<" + delimiter + "\n" + value + "\n" + delimiter + "\n";
    }
}
