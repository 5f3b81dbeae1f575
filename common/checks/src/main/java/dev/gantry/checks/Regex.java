package dev.gantry.checks;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * A regular expression from a checks file, run by RE2/J: matching takes time linear in the text, whatever the
 * pattern, so no pattern ({@code (.*a){25}$} included) can stall a check. The syntax is RE2's (what Hurl's Rust
 * regex engine also accepts): no backreferences and no lookaround; such a pattern is refused when the file is read.
 */
public final class Regex {
    private final String source;
    private final Pattern pattern;

    private Regex(String source, Pattern pattern) {
        this.source = source;
        this.pattern = pattern;
    }

    /** @throws IllegalArgumentException saying what is wrong with the pattern */
    public static Regex compile(String pattern) {
        try {
            return new Regex(pattern, Pattern.compile(pattern));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("bad regex /" + pattern + "/: " + e.getDescription()
                    + " (RE2 syntax: no backreferences or lookaround)");
        }
    }

    /** Whether the pattern is found anywhere in {@code text}. */
    public boolean find(String text) {
        return pattern.matcher(text).find();
    }

    /** Group 1 of the first match, or null when there is no match. */
    public String firstGroup(String text) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) return null;
        return m.groupCount() >= 1 ? m.group(1) : m.group();
    }

    public int groupCount() {
        return pattern.groupCount();
    }

    public String replaceAll(String text, String replacement) {
        return pattern.matcher(text).replaceAll(replacement);
    }

    @Override
    public String toString() {
        return "/" + source + "/";
    }

    public String source() {
        return source;
    }
}
