package dev.gantry.checks;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.format.TextStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;

/**
 * The date formats of Hurl's {@code toDate} and {@code dateFormat} filters (chrono's strftime): {@code %Y %m %d %e
 * %H %I %M %S %p %.f %f %z %:z %Z %a %A %b %h %B %y %j %T %F %D %R %%}, {@code %s} (Unix seconds) and {@code %+}
 * (RFC 3339). A date without an offset is UTC.
 */
final class Strftime {
    private Strftime() {
    }

    static OffsetDateTime parse(String text, String format) {
        String t = text.strip();
        try {
            if (format.equals("%+")) return OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            if (format.equals("%s")) return OffsetDateTime.ofInstant(Instant.ofEpochSecond(Long.parseLong(t)), ZoneOffset.UTC);
            DateTimeFormatter f = builder(format, true).toFormatter(Locale.ENGLISH).withResolverStyle(ResolverStyle.SMART);
            TemporalAccessor a = f.parseBest(t, OffsetDateTime::from, LocalDateTime::from, LocalDate::from);
            if (a instanceof OffsetDateTime o) return o;
            if (a instanceof LocalDateTime l) return l.atOffset(ZoneOffset.UTC);
            return ((LocalDate) a).atStartOfDay().atOffset(ZoneOffset.UTC);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new Values.EvalException("toDate: '" + text + "' does not match the format \"" + format + "\"");
        } catch (IllegalArgumentException e) {
            throw new Values.EvalException("toDate: " + e.getMessage());
        }
    }

    static String format(OffsetDateTime d, String format) {
        if (format.equals("%+")) return d.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        if (format.equals("%s")) return Long.toString(d.toEpochSecond());
        return builder(format, false).toFormatter(Locale.ENGLISH).format(d);
    }

    static void check(String format) {
        if (format.equals("%+") || format.equals("%s")) return;
        builder(format, true);
    }

    private static DateTimeFormatterBuilder builder(String format, boolean parsing) {
        DateTimeFormatterBuilder b = new DateTimeFormatterBuilder().parseCaseInsensitive();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%') {
                literal.append(c);
                continue;
            }
            if (!literal.isEmpty()) {
                b.appendLiteral(literal.toString());
                literal.setLength(0);
            }
            if (i + 1 >= format.length()) throw new IllegalArgumentException("a date format ends with '%'");
            char s = format.charAt(++i);
            if (s == '.' || s == ':') {
                if (i + 1 >= format.length()) throw new IllegalArgumentException("incomplete %" + s + " in the date format");
                char n = format.charAt(++i);
                if (s == '.' && n == 'f') b.optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd();
                else if (s == ':' && n == 'z') b.appendOffset("+HH:MM", "+00:00");
                else throw new IllegalArgumentException("unsupported date format specifier %" + s + n);
                continue;
            }
            switch (s) {
                case 'Y' -> b.appendValue(ChronoField.YEAR, 4);
                case 'y' -> b.appendValueReduced(ChronoField.YEAR, 2, 2, 2000);
                case 'm' -> b.appendValue(ChronoField.MONTH_OF_YEAR, 2);
                case 'd' -> b.appendValue(ChronoField.DAY_OF_MONTH, 2);
                case 'e' -> b.padNext(2).appendValue(ChronoField.DAY_OF_MONTH);
                case 'H' -> b.appendValue(ChronoField.HOUR_OF_DAY, 2);
                case 'I' -> b.appendValue(ChronoField.CLOCK_HOUR_OF_AMPM, 2);
                case 'M' -> b.appendValue(ChronoField.MINUTE_OF_HOUR, 2);
                case 'S' -> b.appendValue(ChronoField.SECOND_OF_MINUTE, 2);
                case 'p' -> b.appendText(ChronoField.AMPM_OF_DAY, TextStyle.SHORT);
                case 'f' -> b.appendValue(ChronoField.NANO_OF_SECOND, 9);
                case 'z' -> b.appendOffset("+HHMM", "+0000");
                case 'Z' -> {
                    if (parsing) b.appendZoneText(TextStyle.SHORT);
                    else b.appendOffset("+HH:MM", "UTC");
                }
                case 'a' -> b.appendText(ChronoField.DAY_OF_WEEK, TextStyle.SHORT);
                case 'A' -> b.appendText(ChronoField.DAY_OF_WEEK, TextStyle.FULL);
                case 'b', 'h' -> b.appendText(ChronoField.MONTH_OF_YEAR, TextStyle.SHORT);
                case 'B' -> b.appendText(ChronoField.MONTH_OF_YEAR, TextStyle.FULL);
                case 'j' -> b.appendValue(ChronoField.DAY_OF_YEAR, 3);
                case 'T' -> b.appendPattern("HH:mm:ss");
                case 'F' -> b.appendPattern("yyyy-MM-dd");
                case 'D' -> b.appendPattern("MM/dd/yy");
                case 'R' -> b.appendPattern("HH:mm");
                case '%' -> b.appendLiteral('%');
                default -> throw new IllegalArgumentException("unsupported date format specifier %" + s);
            }
        }
        if (!literal.isEmpty()) b.appendLiteral(literal.toString());
        return b;
    }
}
