package dev.gantry.prismagate;

import dev.gantry.common.action.Workspace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads a Prisma migrations folder the way Prisma does: every sub-directory is a migration, in name order, with
 * its {@code migration.sql}; {@code migration_lock.toml} beside them must name {@code postgresql}.
 */
public final class MigrationsFolder {
    private final Path dir;
    private final List<LocalMigration> migrations;
    private final List<String> warnings;

    private MigrationsFolder(Path dir, List<LocalMigration> migrations, List<String> warnings) {
        this.dir = dir;
        this.migrations = migrations;
        this.warnings = warnings;
    }

    public Path dir() {
        return dir;
    }

    public List<LocalMigration> migrations() {
        return migrations;
    }

    /** Things worth saying that do not stop the gate (ambiguous order, a missing lock file). */
    public List<String> warnings() {
        return warnings;
    }

    /** The folder read with itself as the boundary: no file it reads may lead out of it. */
    static MigrationsFolder read(Path dir) throws IOException {
        return read(dir, dir);
    }

    /**
     * @param workspace every file read must really be inside it: a {@code migration.sql}, a migration's folder or
     *                  the lock file that is a symbolic link leading out of it is refused, not read
     * @throws MigrationsException when the folder or a migration file cannot be used
     * @throws dev.gantry.common.action.InputException (input {@code migrations-dir}, exit 2) naming a file that
     *                  leads out of the workspace
     */
    public static MigrationsFolder read(Path dir, Path workspace) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new MigrationsException("The migrations folder " + dir + " does not exist");
        }
        List<String> warnings = new ArrayList<>();
        Path lock = inside(workspace, dir.resolve("migration_lock.toml"));
        if (Files.isRegularFile(lock)) {
            String provider = lockProvider(Files.readString(lock, StandardCharsets.UTF_8));
            if (!provider.equals("postgresql")) {
                throw new MigrationsException("migration_lock.toml in " + dir + " says provider `" + provider
                        + "`, but this gate applies PostgreSQL migrations (Prisma would stop with P3019)");
            }
        } else {
            warnings.add("No migration_lock.toml in " + dir + ": the provider cannot be checked");
        }
        // names only (no Path objects, no stat per entry): a plain file among them is told apart when reading
        String[] names = dir.toFile().list();
        if (names == null) throw new IOException("cannot list the migrations folder " + dir);
        Arrays.sort(names);
        // reading and decoding one file needs nothing from the others: on every core, in name order
        List<Object> read = Arrays.stream(names).parallel().map(n -> readMigration(dir.resolve(n), workspace)).toList();
        List<LocalMigration> out = new ArrayList<>(read.size());
        for (Object r : read) { // the first failure in name order, whatever thread met it
            if (r instanceof RuntimeException e) throw e; // a MigrationsException, or a file leading out
            if (r instanceof IOException e) throw e;
            if (r instanceof LocalMigration m) out.add(m);
        }
        for (int i = 1; i < out.size(); i++) {
            String a = out.get(i - 1).name();
            String b = out.get(i).name();
            if (a.toLowerCase(Locale.ROOT).compareTo(b.toLowerCase(Locale.ROOT)) > 0) {
                warnings.add("Migrations " + a + " and " + b + " sort differently with and without case: older and"
                        + " newer Prisma versions may apply them in different orders");
            }
        }
        return new MigrationsFolder(dir, List.copyOf(out), List.copyOf(warnings));
    }

    /**
     * The migration in folder {@code d}; {@code null} when {@code d} is not a folder (a file beside the
     * migrations); else the {@link MigrationsException}, {@link dev.gantry.common.action.InputException} (the
     * file leads out of the workspace) or {@link IOException} met reading it.
     */
    private static Object readMigration(Path d, Path workspace) {
        String name = d.getFileName().toString();
        Path sql = d.resolve("migration.sql");
        byte[] bytes;
        try {
            // the file's real location, checked before a byte is read: a link to /etc/passwd is never opened
            Path real = inside(workspace, sql);
            bytes = Files.readAllBytes(real); // one open, no stat
        } catch (IOException e) {
            if (!Files.isDirectory(d)) return null;
            if (!Files.isRegularFile(sql)) {
                return new MigrationsException("Migration " + name + " has no migration.sql (Prisma would stop with"
                        + " P3015): add the file or remove the folder");
            }
            return e;
        } catch (RuntimeException e) {
            // a file beside the migrations that links out is never read, so it is no reason to stop
            return Files.isDirectory(d) ? e : null;
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        // bad bytes decode to U+FFFD; only a text that has one can have come from invalid UTF-8
        boolean valid = text.indexOf('\uFFFD') < 0 || isUtf8(bytes);
        return new LocalMigration(name, sql, text, valid, bytes);
    }

    /**
     * {@code file}'s real location, when it is inside {@code workspace}, symbolic links followed (the file's own
     * and its folders'); else exit 2 naming {@code migrations-dir} and the file.
     */
    private static Path inside(Path workspace, Path file) {
        Path ws = workspace.toAbsolutePath().normalize();
        Path abs = file.toAbsolutePath().normalize();
        String shown = (abs.startsWith(ws) ? ws.relativize(abs) : abs).toString().replace('\\', '/');
        return Workspace.resolve(ws, "migrations-dir", shown);
    }

    /** Prisma's reading: the first line starting with {@code provider}, minus {@code provider = } and quotes. */
    static String lockProvider(String toml) {
        for (int start = 0; start <= toml.length(); ) { // lines end at \n, a \r before it is dropped (Rust's lines())
            int nl = toml.indexOf('\n', start);
            int end = nl < 0 ? toml.length() : nl;
            String line = toml.substring(start, nl > start && toml.charAt(nl - 1) == '\r' ? nl - 1 : end);
            start = end + 1;
            if (line.startsWith("provider")) {
                String v = line.startsWith("provider = ") ? line.substring("provider = ".length()) : line;
                int from = 0;
                int to = v.length();
                while (from < to && v.charAt(from) == '"') from++;
                while (to > from && v.charAt(to - 1) == '"') to--;
                return v.substring(from, to);
            }
        }
        return "<PROVIDER NOT FOUND>";
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** The folder cannot be used as a migration history. */
    public static final class MigrationsException extends RuntimeException {
        public MigrationsException(String message) {
            super(message);
        }
    }
}
