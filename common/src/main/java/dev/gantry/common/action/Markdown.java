package dev.gantry.common.action;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitHub-flavoured Markdown that is ours to trust. Text from a provider, a response or a user file becomes Markdown
 * only through {@link #text} (escaped: it renders as written and can carry no HTML, image, link, autolink, heading
 * or table break), {@link #code}/{@link #codeBlock} (a code span or fence it cannot leave), or {@link #link}
 * (http(s) URLs only, shown as the URL itself). Markup of our own is {@link #of}. Everything that writes Markdown
 * for people (step summaries, PR comments, issues) takes this type, so provider text cannot reach it raw by
 * accident: a plain {@code String} handed to those writers is escaped as text.
 */
public final class Markdown {
    private static final Pattern SCHEME = Pattern.compile("(?i)([a-z][a-z0-9+.-]*):(?=//)");
    private static final Pattern WWW = Pattern.compile("(?i)\\b(www)\\.");
    private static final Pattern LIST_START = Pattern.compile("^(\\s*)(\\d+)([.)])");

    private final String source;

    private Markdown(String source) {
        this.source = source;
    }

    /** Markup we wrote ourselves (literals and other {@code Markdown}); never provider or user text. */
    public static Markdown of(String trustedMarkup) {
        return new Markdown(trustedMarkup == null ? "" : trustedMarkup);
    }

    /** Untrusted text, escaped to render as written, on one line. */
    public static Markdown text(String untrusted) {
        return new Markdown(escape(untrusted));
    }

    /**
     * {@code template} (ours) with each {@code %s} replaced by an argument: a {@code Markdown} as it is, anything
     * else escaped as {@link #text}.
     */
    public static Markdown format(String template, Object... args) {
        Object[] safe = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            safe[i] = args[i] instanceof Markdown m ? m.source : escape(String.valueOf(args[i]));
        }
        return new Markdown(String.format(Locale.ROOT, template, safe));
    }

    /** An inline code span holding {@code untrusted} on one line (ids, names, short values). */
    public static Markdown code(String untrusted) {
        String t = Log.clean(untrusted == null ? "" : untrusted).replace('\n', ' ');
        String fence = "`";
        while (t.contains(fence)) fence += "`";
        String pad = t.startsWith("`") || t.endsWith("`") || t.isEmpty() ? " " : "";
        return new Markdown(fence + pad + t + pad + fence);
    }

    /** A fenced code block: the fence is longer than any backtick run inside, so the text cannot leave it. */
    public static Markdown codeBlock(String untrusted, String language) {
        String t = Log.clean(untrusted == null ? "" : untrusted);
        String fence = "```";
        while (t.contains(fence)) fence += "`";
        return new Markdown(fence + (language == null ? "" : language) + "\n" + t + (t.endsWith("\n") ? "" : "\n")
                + fence + "\n");
    }

    /**
     * A link to {@code url}, shown as the URL itself (so the text cannot say one place and lead to another), or,
     * when it is not an absolute http(s) URL, the URL as escaped text.
     */
    public static Markdown link(String url) {
        return link(url, null);
    }

    /** A link labelled {@code label} (escaped); only absolute http(s) URLs become links. */
    public static Markdown link(String url, String label) {
        URI u = httpUrl(url);
        String shown = label == null ? url : label;
        if (u == null) return text(shown);
        String target = u.toASCIIString().replace("(", "%28").replace(")", "%29").replace(" ", "%20")
                .replace("<", "%3C").replace(">", "%3E").replace("\"", "%22");
        String text = label == null ? escapeForLinkText(url) : escape(label);
        return new Markdown("[" + text + "](" + target + ")");
    }

    /**
     * A bare URL for a place where the user's own Markdown expects one (a template's {@code {{deploymentUrl}}}):
     * an absolute http(s) URL, percent-encoded so it cannot close a link or open markup; anything else as escaped
     * text.
     */
    public static String url(String url) {
        URI u = httpUrl(url);
        if (u == null) return escape(url);
        return u.toASCIIString().replace("(", "%28").replace(")", "%29").replace(" ", "%20")
                .replace("<", "%3C").replace(">", "%3E").replace("\"", "%22").replace("[", "%5B").replace("]", "%5D")
                .replace("`", "%60").replace("*", "%2A").replace("|", "%7C");
    }

    /** {@code url} as an absolute http(s) URI without user info, or null. */
    static URI httpUrl(String url) {
        if (url == null) return null;
        try {
            URI u = new URI(url.strip());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || u.getHost() == null || u.getRawUserInfo() != null) {
                return null;
            }
            return u;
        } catch (Exception e) {
            return null;
        }
    }

    private static String escapeForLinkText(String url) {
        // inside link text an autolink does not nest; brackets and markup still need escaping
        return escapeInline(Log.clean(url).replace('\n', ' '), false);
    }

    /**
     * A table. A {@code String} cell is escaped text; a {@code Markdown} cell is used as it is. Either way {@code |}
     * and line breaks cannot break the table.
     */
    public static Markdown table(List<?> header, List<? extends List<?>> rows) {
        StringBuilder b = new StringBuilder("|");
        for (Object h : header) b.append(' ').append(anyCell(h)).append(" |");
        b.append("\n|");
        for (int i = 0; i < header.size(); i++) b.append(" --- |");
        b.append('\n');
        for (List<?> row : rows) {
            b.append('|');
            for (int i = 0; i < header.size(); i++) {
                b.append(' ').append(anyCell(i < row.size() ? row.get(i) : "")).append(" |");
            }
            b.append('\n');
        }
        return new Markdown(b.append('\n').toString());
    }

    private static String anyCell(Object o) {
        return o instanceof Markdown m ? cell(m) : cell(o == null ? "" : String.valueOf(o));
    }

    /** A collapsed {@code <details>} block: the title is escaped (as HTML text), the body is ours. */
    public static Markdown details(String title, Markdown body) {
        String md = body.source;
        return new Markdown("<details><summary>" + html(Log.clean(title == null ? "" : title).replace('\n', ' '))
                + "</summary>\n\n" + md + (md.endsWith("\n") ? "" : "\n") + "\n</details>\n\n");
    }

    /** Text for an HTML context: {@code & < > "} as entities. */
    public static String html(String s) {
        if (s == null) return "";
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    public Markdown append(Markdown other) {
        return new Markdown(source + other.source);
    }

    public Markdown append(String trustedMarkup) {
        return new Markdown(source + trustedMarkup);
    }

    public boolean isEmpty() {
        return source.isEmpty();
    }

    /** The Markdown source. */
    @Override
    public String toString() {
        return source;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Markdown m && m.source.equals(source);
    }

    @Override
    public int hashCode() {
        return source.hashCode();
    }

    /**
     * Untrusted text as Markdown source that renders as written on one line: control characters removed, line
     * breaks as spaces, HTML characters as entities, and backslash escapes for what would otherwise make emphasis,
     * code, links, images, table cells, autolinks ({@code scheme://}, {@code www.}) or a block at the start.
     */
    public static String escape(String untrusted) {
        if (untrusted == null) return "";
        return escapeInline(Log.clean(untrusted).replace('\n', ' '), true);
    }

    private static String escapeInline(String t, boolean breakAutolinks) {
        StringBuilder b = new StringBuilder(t.length() + 16);
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '\\', '`', '*', '~', '[', ']', '|', '!' -> b.append('\\').append(c);
                case '_' -> {
                    // inside a word an underscore cannot open or close emphasis: leave ids like dpl_x readable
                    boolean inWord = i > 0 && i + 1 < t.length() && Character.isLetterOrDigit(t.charAt(i - 1))
                            && Character.isLetterOrDigit(t.charAt(i + 1));
                    if (!inWord) b.append('\\');
                    b.append(c);
                }
                default -> b.append(c);
            }
        }
        String s = b.toString();
        if (breakAutolinks) {
            s = SCHEME.matcher(s).replaceAll("$1\\\\:");
            s = WWW.matcher(s).replaceAll("$1\\\\.");
        }
        // a block construct at the very start (heading, list, quote, setext underline)
        String lead = s.stripLeading();
        if (!lead.isEmpty() && "#-+=".indexOf(lead.charAt(0)) >= 0) {
            int at = s.length() - lead.length();
            s = s.substring(0, at) + "\\" + s.substring(at);
        } else {
            Matcher m = LIST_START.matcher(s);
            if (m.find()) s = m.group(1) + m.group(2) + "\\" + m.group(3) + s.substring(m.end());
        }
        return s;
    }

    /** A table cell: escaped text whose line breaks become {@code <br>}. */
    public static String cell(String untrusted) {
        if (untrusted == null) return "";
        StringBuilder b = new StringBuilder();
        String[] lines = Log.clean(untrusted).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) b.append("<br>");
            b.append(escape(lines[i]));
        }
        return b.toString();
    }

    /** Trusted Markdown made fit for a table cell: pipes escaped, line breaks as {@code <br>}. */
    static String cell(Markdown md) {
        return md.source.replace("\r\n", "\n").replace("\n", "<br>").replaceAll("(?<!\\\\)\\|", "\\\\|");
    }
}
