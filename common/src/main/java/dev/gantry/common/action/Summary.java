package dev.gantry.common.action;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * The step summary ({@code GITHUB_STEP_SUMMARY}): the report a person reads. Built like {@code core.summary}:
 * add blocks, then {@link #write()}. Text handed in as a {@code String} is escaped ({@link Markdown#text}): only
 * {@link Markdown} values, built by the one escaping path, reach the file as markup. What is written stays under GitHub's 1 MiB limit: a longer report is cut at
 * a line boundary with a visible note, because an oversized summary is dropped whole by the runner.
 */
public final class Summary {
    /** GitHub rejects a step summary over 1024 KiB; stay comfortably below it. */
    public static final int LIMIT_BYTES = 1024 * 1024 - 16 * 1024;

    private final Map<String, String> env;
    private final Log log;
    private final StringBuilder buffer = new StringBuilder();
    /** Everything added in this run, to tell whether a message is already in the report. */
    private final StringBuilder history = new StringBuilder();
    private final int limitBytes;
    private long writtenBytes;
    private boolean written;

    public Summary(Map<String, String> env, Log log) {
        this(env, log, LIMIT_BYTES);
    }

    Summary(Map<String, String> env, Log log, int limitBytes) {
        this.env = env;
        this.log = log;
        this.limitBytes = limitBytes;
    }

    /** A heading; {@code text} is escaped (it may quote provider text). */
    public Summary heading(String text, int level) {
        return heading(Markdown.text(text), level);
    }

    public Summary heading(Markdown text, int level) {
        int l = Math.max(1, Math.min(6, level));
        buffer.append("#".repeat(l)).append(' ').append(text.toString().replace("\r", "").replace("\n", " ")).append("\n\n");
        written = true;
        return this;
    }

    public Summary heading(String text) {
        return heading(text, 2);
    }

    /** Markdown of ours (which escaped whatever untrusted text it holds when it was built). */
    public Summary markdown(Markdown md) {
        String text = md.toString();
        buffer.append(text);
        if (!text.endsWith("\n")) buffer.append('\n');
        if (!text.endsWith("\n\n")) buffer.append('\n');
        written = true;
        return this;
    }

    /** A paragraph of plain text, escaped. */
    public Summary paragraph(String text) {
        return markdown(Markdown.text(text));
    }

    public Summary paragraph(Markdown text) {
        return markdown(text);
    }

    /** A bullet list; a {@code String} item is escaped text, a {@link Markdown} item is used as it is. */
    public Summary bullets(List<?> items) {
        for (Object item : items) {
            String md = item instanceof Markdown m ? m.toString() : Markdown.escape(String.valueOf(item));
            buffer.append("- ").append(md.replace("\r", "").replace("\n", " ")).append('\n');
        }
        buffer.append('\n');
        written = true;
        return this;
    }

    /**
     * A Markdown table. A {@code String} cell is escaped text; a {@link Markdown} cell is used as it is. Either
     * way {@code |} and line breaks cannot break the table.
     */
    public Summary table(List<?> header, List<? extends List<?>> rows) {
        return markdown(Markdown.table(header, rows));
    }

    /** A collapsed {@code <details>} block: the title is escaped, the body is Markdown of ours. */
    public Summary details(String title, Markdown body) {
        return markdown(Markdown.details(title, body));
    }

    /** A fenced code block; the fence is longer than any backtick run inside, so text cannot escape it. */
    public Summary code(String text, String language) {
        return markdown(Markdown.codeBlock(text, language));
    }

    /** The Markdown added since the last write. */
    public String render() {
        return buffer.toString();
    }

    /** The same, as the Markdown it is (every text in it went through the escaping path). */
    public Markdown toMarkdown() {
        return Markdown.of(buffer.toString());
    }

    public boolean isEmpty() {
        return buffer.length() == 0;
    }

    /** Whether the report already holds {@code text} (as escaped text). */
    public boolean mentions(String text) {
        String escaped = Markdown.escape(text);
        return history.indexOf(escaped) >= 0 || buffer.indexOf(escaped) >= 0;
    }

    /** Whether anything was ever added in this run (written out or not). */
    public boolean hasContent() {
        return written;
    }

    /**
     * Appends what was added to the summary file (or prints it when there is none), masked and within the
     * limit, and empties the buffer.
     */
    public void write() {
        if (history.length() < LIMIT_BYTES) history.append(buffer);
        String text = log.mask(buffer.toString());
        buffer.setLength(0);
        if (text.isEmpty()) return;
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > limitBytes - writtenBytes) {
            text = fit(text, limitBytes - writtenBytes);
            bytes = text.getBytes(StandardCharsets.UTF_8);
        }
        String file = env.get("GITHUB_STEP_SUMMARY");
        if (file == null || file.isBlank()) {
            log.info("---- step summary ----\n" + text + "---- end of step summary ----");
        } else {
            try {
                Files.write(Path.of(file), bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write GITHUB_STEP_SUMMARY (" + file + ")", e);
            }
        }
        writtenBytes += bytes.length;
    }

    /** Cuts {@code text} at a line boundary so that it and the note fit in {@code budget} bytes. */
    static String fit(String text, long budget) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= budget) return text;
        String note = "\n\n> **Summary truncated:** %d bytes left out to stay under GitHub's 1 MiB step summary limit.\n";
        long room = budget - note.length() - 20;
        if (room <= 0) return "";
        String cut = new String(bytes, 0, (int) room, StandardCharsets.UTF_8);
        // drop a partly decoded last character and the unfinished last line
        int nl = cut.lastIndexOf('\n');
        if (nl > 0) cut = cut.substring(0, nl + 1);
        int omitted = bytes.length - cut.getBytes(StandardCharsets.UTF_8).length;
        return cut + String.format(note, omitted);
    }


}
