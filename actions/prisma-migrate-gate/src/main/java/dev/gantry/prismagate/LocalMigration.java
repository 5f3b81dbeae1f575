package dev.gantry.prismagate;

import java.nio.file.Path;

/**
 * One migration folder as Prisma reads it: the name, the path of {@code migration.sql}, its text decoded as
 * UTF-8 (bad bytes replaced, as Node does), whether the bytes were valid UTF-8, and Prisma's checksum of the text.
 *
 * <p>The checksum is computed on first use (any thread; two threads racing compute the same value), so that the
 * gate can hash on a spare core while it lints, instead of before.
 */
public final class LocalMigration {
    private final String name;
    private final Path file;
    private final String script;
    private final boolean validUtf8;
    /** The file's bytes while they are the UTF-8 encoding of {@code script} (valid UTF-8) and not yet hashed. */
    private byte[] utf8;
    private volatile String checksum;

    public LocalMigration(String name, Path file, String script, boolean validUtf8) {
        this(name, file, script, validUtf8, null);
    }

    /** With the file's bytes, when they are valid UTF-8: hashed as they are instead of encoding the text again. */
    public LocalMigration(String name, Path file, String script, boolean validUtf8, byte[] utf8) {
        this.name = name;
        this.file = file;
        this.script = script;
        this.validUtf8 = validUtf8;
        this.utf8 = validUtf8 ? utf8 : null;
    }

    public String name() {
        return name;
    }

    public Path file() {
        return file;
    }

    public String script() {
        return script;
    }

    public boolean validUtf8() {
        return validUtf8;
    }

    /** Lowercase hex SHA-256 of the script's UTF-8 text, as Prisma records it. */
    public String checksum() {
        String c = checksum;
        if (c == null) {
            byte[] b = utf8;
            c = b != null ? Checksums.ofUtf8(b) : Checksums.of(script);
            checksum = c;
            utf8 = null;
        }
        return c;
    }

    @Override
    public String toString() {
        return "LocalMigration[" + name + "]";
    }
}
