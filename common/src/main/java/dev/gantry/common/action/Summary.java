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
 * add blocks, then {@link #write()}. What is written stays under GitHub's 1 MiB limit: a longer report is cut at
 * a line boundary with a visible note, because an oversized summary is dropped whole by the runner.
 */
public final class Summary {
    /** GitHub rejects a step summary over 1024 KiB; stay comfortably below it. */
    public static final int LIMIT_BYTES = 1024 * 1024 - 16 * 1024;

    private final Map<String, String> env;
    private final Log log;
    private final StringBuilder buffer = new StringBuilder();
    private final int limitBytes;
    private long writtenBytes;

    public Summary(Map<String, String> env, Log log) {
        this(env, log, LIMIT_BYTES);
    }

    Summary(Map<String, String> env, Log log, int limitBytes) {
        this.env = env;
        this.log = log;
        this.limitBytes = limitBytes;
    }

    public Summary heading(String text, int level) {
        int l = Math.max(1, Math.min(6, level));
        buffer.append("#".repeat(l)).append(' ').append(inline(text)).append("\n\n");
        return this;
    }

    public Summary heading(String text) {
        return heading(text, 2);
    }

    /** Markdown written as is (ours, never provider text). */
    public Summary raw(String markdown) {
        buffer.append(markdown);
        if (!markdown.endsWith("\n")) buffer.append('\n');
        buffer.append('\n');
        return this;
    }

    public Summary paragraph(String text) {
        return raw(text);
    }

    public Summary bullets(List<String> items) {
        for (String item : items) {
            buffer.append("- ").append(inline(item)).append('\n');
        }
        buffer.append('\n');
        return this;
    }

    /** A Markdown table; every cell is escaped so that {@code |} and newlines cannot break it. */
    public Summary table(List<String> header, List<List<String>> rows) {
        buffer.append('|');
        for (String h : header) buffer.append(' ').append(cell(h)).append(" |");
        buffer.append("\n|");
        for (int i = 0; i < header.size(); i++) buffer.append(" --- |");
        buffer.append('\n');
        for (List<String> row : rows) {
            buffer.append('|');
            for (int i = 0; i < header.size(); i++) {
                buffer.append(' ').append(cell(i < row.size() ? row.get(i) : "")).append(" |");
            }
            buffer.append('\n');
        }
        buffer.append('\n');
        return this;
    }

    /** A collapsed {@code <details>} block whose body is Markdown of ours. */
    public Summary details(String title, String markdownBody) {
        buffer.append("<details><summary>").append(html(title)).append("</summary>\n\n")
                .append(markdownBody).append(markdownBody.endsWith("\n") ? "" : "\n")
                .append("\n</details>\n\n");
        return this;
    }

    /** A fenced code block; the fence is longer than any backtick run inside, so text cannot escape it. */
    public Summary code(String text, String language) {
        String fence = "```";
        while (text.contains(fence)) fence += "`";
        buffer.append(fence).append(language == null ? "" : language).append('\n').append(text);
        if (!text.endsWith("\n")) buffer.append('\n');
        buffer.append(fence).append("\n\n");
        return this;
    }

    /** The Markdown added since the last write. */
    public String render() {
        return buffer.toString();
    }

    public boolean isEmpty() {
        return buffer.length() == 0;
    }

    /**
     * Appends what was added to the summary file (or prints it when there is none), masked and within the
     * limit, and empties the buffer.
     */
    public void write() {
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

    /** A table cell: pipes escaped, line breaks as {@code <br>}. */
    public static String cell(String s) {
        if (s == null) return "";
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", "<br>").replace("\n", "<br>").replace("\r", "");
    }

    /** Inline text on one line. */
    public static String inline(String s) {
        return s == null ? "" : s.replace("\r", "").replace("\n", " ");
    }

    public static String html(String s) {
        if (s == null) return "";
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
