package dev.gantry.common.github;

import java.util.regex.Pattern;

/**
 * The text we put on GitHub: the hidden marker that lets a later run find its own comment or issue, and bodies cut
 * to GitHub's size limits without breaking the Markdown (an open code fence is closed) or a surrogate pair.
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

    /** Whether {@code body} was written by us for {@code marker} (our bodies start with the marker). */
    public static boolean carries(String body, String marker) {
        return body != null && body.stripLeading().startsWith(marker);
    }

    /**
     * {@code marker}, a newline and {@code markdown}, cut to {@link #MAX_BODY} characters when longer: the cut
     * keeps whole lines where it can, closes an open code fence and ends with a note that points to
     * {@code runUrl} (when known).
     */
    public static String body(String marker, String markdown, String runUrl) {
        String head = marker == null || marker.isEmpty() ? "" : marker + "\n";
        String md = markdown == null ? "" : markdown;
        if (head.length() + md.length() <= MAX_BODY) return head + md;
        String note = "\n\n> **Truncated:** this report was longer than GitHub's limit of " + MAX_BODY
                + " characters" + (runUrl == null || runUrl.isBlank() ? "." : "; the full report is in the workflow run: "
                + runUrl) + "\n";
        String fence = "\n```";
        int room = MAX_BODY - head.length() - note.length() - fence.length();
        if (room < 0) throw new IllegalArgumentException("marker and note exceed the body limit");
        String cut = md.substring(0, room);
        int nl = cut.lastIndexOf('\n');
        if (nl >= room - 2_000 && nl > 0) cut = cut.substring(0, nl); // prefer a whole line when one ends nearby
        if (!cut.isEmpty() && Character.isHighSurrogate(cut.charAt(cut.length() - 1))) {
            cut = cut.substring(0, cut.length() - 1);
        }
        String open = openFence(cut);
        return head + cut + (open == null ? "" : "\n" + open) + note;
    }

    /** {@code text} cut to {@code max} characters, ending with an ellipsis when cut. */
    public static String clip(String text, int max) {
        if (text == null || text.length() <= max) return text;
        int end = max - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) end--;
        return text.substring(0, end) + "…";
    }

    /** The fence ({@code ```} or {@code ~~~}) that {@code markdown} ends inside of, or null. */
    static String openFence(String markdown) {
        String open = null;
        for (String line : markdown.split("\n", -1)) {
            String t = line.stripLeading();
            String f = t.startsWith("```") ? "```" : t.startsWith("~~~") ? "~~~" : null;
            if (f == null) continue;
            if (open == null) open = f;
            else if (open.equals(f) && t.substring(3).isBlank()) open = null;
        }
        return open;
    }
}
