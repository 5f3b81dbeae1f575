package dev.gantry.common.slack;

import dev.gantry.common.action.Log;

import java.net.URI;
import java.util.Locale;

/**
 * Slack's {@code mrkdwn} that is ours to trust: the one escaping path for text that goes to Slack, as
 * {@link dev.gantry.common.action.Markdown} is for GitHub. Slack reads {@code &}, {@code <} and {@code >} as control
 * characters: {@code <!channel>} notifies everyone, {@code <@U123>} mentions a person, {@code <url|label>} is a
 * link whose label can say anything. Slack's formatting reference says to turn those three, and only those, into
 * {@code &amp;}, {@code &lt;} and {@code &gt;} ("Escaping text", docs.slack.dev/messaging/formatting-message-text);
 * {@link #text} does that to every untrusted text, so a provider's or a user's text shows as written and can never
 * become a mention or a link. Links are made only by {@link #link}, from absolute http(s) URLs. Text objects that
 * carry this markup are sent with {@code verbatim: true}, so Slack does not auto-link names, channels or URLs in it
 * either ({@link SlackMessage}).
 *
 * <p>Inside code ({@link #code}, {@link #codeBlock}) a backtick is replaced by a look-alike (U+02CB), so untrusted
 * text can never close the code span and continue as markup.
 */
public final class Mrkdwn {
    /** A look-alike of the backtick that mrkdwn does not read as code. */
    static final char BACKTICK_LOOKALIKE = '\u02CB';
    /** A look-alike of the asterisk, for text inside bold. */
    static final char ASTERISK_LOOKALIKE = '\u2217';

    private final String source;

    private Mrkdwn(String source) {
        this.source = source;
    }

    /** Markup we wrote ourselves (literals); never provider or user text. */
    public static Mrkdwn of(String trustedMarkup) {
        return new Mrkdwn(trustedMarkup == null ? "" : trustedMarkup);
    }

    /** Untrusted text on one line: control characters removed, line breaks as spaces, {@code & < >} as entities. */
    public static Mrkdwn text(String untrusted) {
        return new Mrkdwn(escape(oneLine(untrusted)));
    }

    /** Untrusted text whose line breaks are kept. */
    public static Mrkdwn lines(String untrusted) {
        return new Mrkdwn(escape(Log.clean(untrusted == null ? "" : untrusted)));
    }

    /** Untrusted text in bold, on one line (an asterisk inside cannot end the bold early). */
    public static Mrkdwn bold(String untrusted) {
        String t = oneLine(untrusted).replace('*', ASTERISK_LOOKALIKE).strip();
        return t.isEmpty() ? new Mrkdwn("") : new Mrkdwn("*" + escape(t) + "*");
    }

    /** An inline code span holding {@code untrusted} on one line. */
    public static Mrkdwn code(String untrusted) {
        String t = oneLine(untrusted).replace('`', BACKTICK_LOOKALIKE);
        return new Mrkdwn("`" + escape(t.isEmpty() ? " " : t) + "`");
    }

    /** A preformatted block: the text cannot leave it. */
    public static Mrkdwn codeBlock(String untrusted) {
        String t = Log.clean(untrusted == null ? "" : untrusted).replace('`', BACKTICK_LOOKALIKE);
        if (t.endsWith("\n")) t = t.substring(0, t.length() - 1);
        return new Mrkdwn("```\n" + escape(t.isEmpty() ? " " : t) + "\n```");
    }

    /**
     * A link to {@code url} labelled {@code label} (escaped); only an absolute http(s) URL without user info becomes
     * a link, anything else is shown as text ("label: url").
     */
    public static Mrkdwn link(String url, String label) {
        String target = target(url);
        String shown = label == null || label.isBlank() ? (url == null ? "" : url) : label;
        if (target == null) {
            return label == null || label.isBlank() || url == null ? text(shown) : text(label + ": " + url);
        }
        String l = oneLine(shown).replace('|', '\u2758');
        return new Mrkdwn("<" + target + "|" + escape(l) + ">");
    }

    /**
     * {@code url} as the target part of a {@code <url|label>} sequence, or null when it is no absolute http(s) URL:
     * what could end the target or the sequence ({@code |}, {@code <}, {@code >}, white space) percent-encoded,
     * {@code &} as an entity.
     */
    static String target(String url) {
        if (url == null) return null;
        URI u;
        try {
            u = new URI(url.strip());
        } catch (Exception e) {
            return null;
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || u.getHost() == null || u.getRawUserInfo() != null) {
            return null;
        }
        return u.toASCIIString().replace("|", "%7C").replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")
                .replace("\"", "%22").replace("&", "&amp;");
    }

    /**
     * {@code template} (ours) with each {@code %s} replaced by an argument: a {@code Mrkdwn} as it is, anything else
     * escaped as {@link #text}.
     */
    public static Mrkdwn format(String template, Object... args) {
        Object[] safe = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            safe[i] = args[i] instanceof Mrkdwn m ? m.source : escape(oneLine(String.valueOf(args[i])));
        }
        return new Mrkdwn(String.format(Locale.ROOT, template, safe));
    }

    public Mrkdwn append(Mrkdwn other) {
        return new Mrkdwn(source + other.source);
    }

    public Mrkdwn append(String trustedMarkup) {
        return new Mrkdwn(source + trustedMarkup);
    }

    public boolean isEmpty() {
        return source.isEmpty();
    }

    public int length() {
        return source.length();
    }

    /**
     * This markup cut to at most {@code max} characters, ending with {@code note} (ours) when cut. The cut never
     * splits an entity, a {@code <…>} sequence or a surrogate pair, prefers a line end, and closes the code block or
     * span it falls in, so what is left renders as it did.
     */
    public Mrkdwn clip(int max, String note) {
        if (source.length() <= max) return this;
        int room = max - note.length() - 6; // a closing fence and line breaks
        if (room <= 0) return new Mrkdwn(note.length() <= max ? note : note.substring(0, max));
        int cut = room;
        int nl = source.lastIndexOf('\n', cut);
        if (nl > 0 && nl >= cut - 400) cut = nl;
        int amp = source.lastIndexOf('&', cut - 1);
        if (amp >= 0 && source.indexOf(';', amp) >= cut && cut - amp <= 6) cut = amp;
        int open = source.lastIndexOf('<', cut - 1);
        if (open >= 0 && source.lastIndexOf('>', cut - 1) < open) cut = open;
        if (cut > 0 && Character.isHighSurrogate(source.charAt(cut - 1))) cut--;
        String head = source.substring(0, cut);
        StringBuilder b = new StringBuilder(head);
        if (count(head, "```") % 2 == 1) {
            b.append(head.endsWith("\n") ? "" : "\n").append("```");
        } else {
            String last = head.substring(head.lastIndexOf('\n') + 1).replace("```", "");
            if (count(last, "`") % 2 == 1) b.append('`');
        }
        b.append('\n').append(note);
        return new Mrkdwn(b.toString());
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + part.length())) n++;
        return n;
    }

    /** The mrkdwn source. */
    @Override
    public String toString() {
        return source;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mrkdwn m && m.source.equals(source);
    }

    @Override
    public int hashCode() {
        return source.hashCode();
    }

    /** {@code & < >} as entities, and only those (what Slack's formatting reference asks for). */
    public static String escape(String untrusted) {
        if (untrusted == null) return "";
        StringBuilder b = null;
        for (int i = 0; i < untrusted.length(); i++) {
            char c = untrusted.charAt(i);
            String r = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                default -> null;
            };
            if (r != null && b == null) b = new StringBuilder(untrusted.length() + 16).append(untrusted, 0, i);
            if (b != null) {
                if (r != null) b.append(r);
                else b.append(c);
            }
        }
        return b == null ? untrusted : b.toString();
    }

    private static String oneLine(String s) {
        return Log.clean(s == null ? "" : s).replace('\n', ' ').replace('\t', ' ');
    }
}
