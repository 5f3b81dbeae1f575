package dev.gantry.common.github;

import dev.gantry.common.action.Log;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text we put on GitHub: the hidden marker that lets a later run find its own comment or issue, one-line
 * titles, and bodies cut to GitHub's size limits without breaking the Markdown (the note that says so always lands
 * outside every open code fence, {@code <details>} block and HTML comment) or a surrogate pair.
 */
public final class ReportText {
    /** GitHub's limit for an issue or comment body, in characters. */
    public static final int MAX_BODY = 65_536;
    /** GitHub's limit for a deployment status description. */
    public static final int MAX_STATUS_DESCRIPTION = 140;
    /** GitHub's limit for an issue title. */
    public static final int MAX_TITLE = 256;

    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._:/@+-]");
    private static final Pattern DASHES = Pattern.compile("-{2,}");
    /** A fence line (CommonMark 4.5): up to three spaces, then three or more backticks or tildes. */
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})(.*)$");
    private static final Pattern DETAILS = Pattern.compile("(?i)<(/?)details\\b[^>]*>");

    private ReportText() {
    }

    /**
     * The hidden HTML marker for {@code key} (e.g. {@code vercel-deploy:preview}):
     * {@code <!-- gantry:vercel-deploy:preview -->}. Characters that could end the HTML comment or make the
     * marker ambiguous ({@code --}, {@code >}, spaces) are replaced, so any environment name is safe.
     */
    public static String marker(String key) {
        if (key == null || key.isBlank()) throw new IllegalArgumentException("marker key must not be blank");
        String safe = DASHES.matcher(UNSAFE.matcher(key.strip()).replaceAll("_")).replaceAll("-");
        return "<!-- gantry:" + safe + " -->";
    }

    /** Whether {@code body} starts with {@code marker} (our bodies do; whose body it is, is checked apart). */
    public static boolean carries(String body, String marker) {
        return body != null && body.stripLeading().startsWith(marker);
    }

    /** An issue title: control characters removed, one line, at most {@link #MAX_TITLE} characters. */
    public static String title(String text) {
        String t = oneLine(text);
        return clip(t.isEmpty() ? "(untitled)" : t, MAX_TITLE);
    }

    /**
     * A deployment status's description: control characters removed, one line, at most
     * {@link #MAX_STATUS_DESCRIPTION} characters; null stays null (no description).
     */
    public static String statusDescription(String text) {
        String t = oneLine(text);
        return t.isEmpty() ? null : clip(t, MAX_STATUS_DESCRIPTION);
    }

    /** Control characters removed, every run of white space (line breaks included) one space, stripped. */
    private static String oneLine(String text) {
        return Log.clean(text == null ? "" : text).replaceAll("\\s+", " ").strip();
    }

    /**
     * {@code marker}, a newline and {@code markdown}, cut to {@link #MAX_BODY} characters when longer: the cut
     * keeps whole lines where it can, closes every code fence, {@code <details>} block and HTML comment left open,
     * and ends with a note that points to {@code runUrl} (when known).
     */
    public static String body(String marker, String markdown, String runUrl) {
        String head = marker == null || marker.isEmpty() ? "" : marker + "\n";
        String md = markdown == null ? "" : markdown;
        if (head.length() + md.length() <= MAX_BODY) return head + md;
        String note = "\n\n> **Truncated:** this report was longer than GitHub's limit of " + MAX_BODY
                + " characters" + (runUrl == null || runUrl.isBlank() ? "." : "; the full report is in the workflow run: "
                + runUrl) + "\n";
        int reserve = 1_000; // what closing the open constructs may take
        int room = MAX_BODY - head.length() - note.length() - reserve;
        if (room < 0) throw new IllegalArgumentException("marker and note exceed the body limit");
        String cut = md.substring(0, room);
        int nl = cut.lastIndexOf('\n');
        if (nl >= room - 2_000 && nl > 0) cut = cut.substring(0, nl); // prefer a whole line when one ends nearby
        if (!cut.isEmpty() && Character.isHighSurrogate(cut.charAt(cut.length() - 1))) {
            cut = cut.substring(0, cut.length() - 1);
        }
        String closing = closing(cut);
        if (closing.length() > reserve) closing = closing.substring(0, reserve); // cannot happen: see closing()
        return head + cut + closing + note;
    }

    /** {@code text} cut to {@code max} characters, ending with an ellipsis when cut. */
    public static String clip(String text, int max) {
        if (text == null || text.length() <= max) return text;
        int end = max - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) end--;
        return text.substring(0, end) + "…";
    }

    /** The fence ({@code ```}, {@code ````}, {@code ~~~}, ...) that {@code markdown} ends inside of, or null. */
    static String openFence(String markdown) {
        String open = null;
        for (String line : markdown.split("\n", -1)) {
            Matcher m = FENCE.matcher(line);
            if (!m.matches()) continue;
            String run = m.group(1);
            String rest = m.group(2);
            if (open == null) {
                // an opening backtick fence's info string cannot hold a backtick (CommonMark 4.5)
                if (run.charAt(0) == '`' && rest.indexOf('`') >= 0) continue;
                open = run;
            } else if (run.charAt(0) == open.charAt(0) && run.length() >= open.length() && rest.isBlank()) {
                open = null;
            }
        }
        return open;
    }

    /**
     * What closes the constructs {@code markdown} leaves open, so that text after it is read as Markdown again:
     * an HTML comment ({@code -->}), a code fence (the same character, as long as the opening one), then the
     * {@code <details>} blocks opened outside code (at most a few dozen are counted).
     */
    static String closing(String markdown) {
        StringBuilder out = new StringBuilder();
        String fence = null;
        boolean inComment = false;
        Deque<Boolean> details = new ArrayDeque<>();
        for (String line : markdown.split("\n", -1)) {
            if (fence == null && !inComment) {
                Matcher m = FENCE.matcher(line);
                if (m.matches() && !(m.group(1).charAt(0) == '`' && m.group(2).indexOf('`') >= 0)) {
                    fence = m.group(1);
                    continue;
                }
            } else if (fence != null) {
                Matcher m = FENCE.matcher(line);
                if (m.matches() && m.group(1).charAt(0) == fence.charAt(0) && m.group(1).length() >= fence.length()
                        && m.group(2).isBlank()) {
                    fence = null;
                }
                continue;
            }
            inComment = scanHtml(line, inComment, details);
        }
        if (inComment) out.append(" -->");
        if (fence != null) out.append('\n').append(fence);
        int n = Math.min(details.size(), 50);
        for (int i = 0; i < n; i++) out.append("\n</details>");
        return out.toString();
    }

    /** Tracks HTML comments and {@code <details>} tags on one line outside code; returns whether a comment is open. */
    private static boolean scanHtml(String line, boolean inComment, Deque<Boolean> details) {
        int i = 0;
        boolean comment = inComment;
        while (i < line.length()) {
            if (comment) {
                int end = line.indexOf("-->", i);
                if (end < 0) return true;
                comment = false;
                i = end + 3;
                continue;
            }
            int start = line.indexOf("<!--", i);
            String segment = start < 0 ? line.substring(i) : line.substring(i, start);
            Matcher d = DETAILS.matcher(withoutCodeSpans(segment));
            while (d.find()) {
                if (d.group(1).isEmpty()) details.push(Boolean.TRUE);
                else if (!details.isEmpty()) details.pop();
            }
            if (start < 0) break;
            comment = true;
            i = start + 4;
        }
        return comment;
    }

    /** {@code text} without its inline code spans (a {@code `<details>`} in code is not a tag). */
    private static String withoutCodeSpans(String text) {
        return text.replaceAll("(`+)(?:(?!\\1).)+?\\1", "");
    }
}
