package dev.gantry.checks;

import dev.gantry.common.action.ActionException;
import dev.gantry.common.action.Annotation;
import dev.gantry.common.action.ExitCode;
import dev.gantry.common.action.InputException;
import dev.gantry.common.action.Workspace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one reader of a checks input (smoke-test's {@code checks}, rollback's {@code verify-checks}): empty means the
 * default suite, a value on several lines (or starting {@code checks:} or {@code - }) is the YAML itself, anything
 * else is a file in the workspace: a {@code .hurl} file is read as Hurl, any other as checks YAML. Files the checks
 * name (bodies, certificates) are relative to the checks file (inline checks: to the workspace), inside it. Every problem is exit 2 naming the input; a checks file that does not parse
 * also carries an annotation on the file, line and column.
 */
public final class ChecksInput {
    /** A smoke test's checks fit in far less; a bigger file is a mistake (a log, a binary), not a checks file. */
    static final long MAX_FILE_BYTES = 1024 * 1024;

    private ChecksInput() {
    }

    /**
     * @param input     the input's name, for messages
     * @param value     the input's value (trimmed, as {@code Inputs} gives it)
     * @param workspace {@code GITHUB_WORKSPACE}: a file is resolved inside it ({@code ..} and links out refused)
     */
    public static CheckSuite read(String input, String value, Path workspace) {
        if (value.isEmpty()) return CheckSuite.defaultSuite();
        if (isInline(value)) return parse(input, value, "<inline " + input + ">", FileResolver.within(workspace, workspace), false);
        Path file = Workspace.resolve(workspace, input, value);
        if (!Files.isRegularFile(file)) {
            throw InputException.invalid(input, "names a file that does not exist: " + value
                    + " (relative to the workspace); give a path or inline YAML");
        }
        String source = relative(workspace, file, value);
        boolean hurl = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".hurl");
        return parse(input, text(input, file, value), source, FileResolver.within(workspace, file.getParent()), hurl);
    }

    /** Inline YAML rather than a path: more than one line, or the start of a checks document. */
    static boolean isInline(String value) {
        return value.contains("\n") || value.startsWith("checks:") || value.startsWith("- ");
    }

    private static CheckSuite parse(String input, String text, String source, FileResolver files, boolean hurl) {
        try {
            return hurl ? CheckSuite.parseHurl(text, source, files) : CheckSuite.parse(text, source, files);
        } catch (CheckFileException e) {
            boolean inline = source.startsWith("<");
            Annotation where = inline
                    ? Annotation.titled("Input '" + input + "': invalid checks")
                    : new Annotation("Input '" + input + "': invalid checks file", source,
                    e.line() > 0 ? e.line() : null, null, e.column() > 0 ? e.column() : null, null);
            throw new ActionException(ExitCode.BAD_INPUT, "Input '" + input + "': " + e.getMessage(), null, where, null);
        }
    }

    private static String text(String input, Path file, String value) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                throw InputException.invalid(input, "names a file larger than " + MAX_FILE_BYTES / 1024 + " kB: "
                        + value + " (a checks file is a few kB; is it the right file?)");
            }
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw InputException.invalid(input, "names a file that is not UTF-8 text: " + value);
        } catch (IOException e) {
            throw InputException.invalid(input, "names a file that cannot be read: " + value + " (" + e.getMessage() + ")");
        }
    }

    /** The file as the repository names it (what an annotation points at), with {@code /} separators. */
    private static String relative(Path workspace, Path file, String value) {
        try {
            Path ws = workspace.toAbsolutePath().normalize();
            Path real = ws.toRealPath();
            Path rel = file.startsWith(real) ? real.relativize(file) : file.startsWith(ws) ? ws.relativize(file) : null;
            return rel == null ? value : rel.toString().replace('\\', '/');
        } catch (IOException e) {
            return value;
        }
    }
}
