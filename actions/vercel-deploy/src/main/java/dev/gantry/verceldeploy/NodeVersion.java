package dev.gantry.verceldeploy;

import java.util.List;
import java.util.Optional;

/**
 * {@code projectSettings.nodeVersion} from {@code package.json}'s {@code engines.node}, as the CLI computes it
 * ({@code getSupportedNodeVersion} in {@code @vercel/build-utils}): the newest Node.js major Vercel builds with whose
 * range meets the engines range, sent as {@code "22.x"} (the API takes only that form; a raw range is a 400,
 * amondnet#359). npm range syntax: {@code ||}, space-separated comparators ({@code >= > <= < =}), x-ranges
 * ({@code 20}, {@code 20.x}, {@code *}), {@code ^}, {@code ~} and hyphen ranges. Whether a major meets a range is
 * decided on that major's releases {@code M.0.0} to {@code M.60.99}, which covers every real engines field.
 */
final class NodeVersion {
    /** The majors Vercel builds with, newest first (build-utils' list without the discontinued ones; CLI 64 treats 20.x as discontinued: it warns and sends none). */
    static final List<Integer> SUPPORTED = List.of(24, 22);

    private NodeVersion() {
    }

    /** The {@code NN.x} to send, or empty when no supported major meets the range (the CLI warns then). */
    static Optional<String> forEngines(String range) {
        for (int major : SUPPORTED) {
            for (int minor = 0; minor <= 60; minor++) {
                if (satisfies(new int[]{major, minor, 0}, range) || satisfies(new int[]{major, minor, 99}, range)) {
                    return Optional.of(major + ".x");
                }
            }
        }
        return Optional.empty();
    }

    static boolean satisfies(int[] v, String range) {
        for (String alternative : range.split("\\|\\|")) {
            if (allOf(v, alternative.trim())) return true;
        }
        return false;
    }

    private static boolean allOf(int[] v, String set) {
        if (set.isEmpty() || set.equals("*") || set.equalsIgnoreCase("x")) return true;
        String[] hyphen = set.split("\\s+-\\s+");
        if (hyphen.length == 2) return compare(v, lower(hyphen[0])) >= 0 && upperOk(v, hyphen[1].trim());
        for (String c : set.replaceAll("(>=|<=|>|<|=|\\^|~)\\s+", "$1").split("\\s+")) {
            if (!comparator(v, c)) return false;
        }
        return true;
    }

    private static boolean comparator(int[] v, String c) {
        String op = c.startsWith(">=") || c.startsWith("<=") ? c.substring(0, 2)
                : c.startsWith(">") || c.startsWith("<") || c.startsWith("=") || c.startsWith("^") || c.startsWith("~")
                ? c.substring(0, 1) : "";
        String ver = c.substring(op.length()).replaceFirst("^v", "");
        Integer[] p = parts(ver);
        int[] lo = lower(ver);
        return switch (op) {
            case ">=" -> compare(v, lo) >= 0;
            case ">" -> p[1] == null ? v[0] > p[0] : p[2] == null ? compare(v, new int[]{p[0], p[1], Integer.MAX_VALUE}) > 0
                    : compare(v, lo) > 0;
            case "<=" -> upperOk(v, ver);
            case "<" -> compare(v, lo) < 0;
            case "^" -> compare(v, lo) >= 0 && (p[0] > 0 ? v[0] == p[0]
                    : p[1] == null || p[1] > 0 ? v[0] == 0 && (p[1] == null || v[1] == p[1]) : v[0] == 0 && v[1] == 0 && (p[2] == null || v[2] == p[2]));
            case "~" -> compare(v, lo) >= 0 && v[0] == p[0] && (p[1] == null || v[1] == p[1]);
            default -> p[0] == null || (v[0] == p[0] && (p[1] == null || v[1] == p[1]) && (p[2] == null || v[2] == p[2]));
        };
    }

    /** {@code v <= ver}, where a partial {@code ver} ({@code 20}, {@code 20.1}) includes all of it. */
    private static boolean upperOk(int[] v, String ver) {
        Integer[] p = parts(ver);
        if (p[0] == null) return true;
        if (p[1] == null) return v[0] <= p[0];
        if (p[2] == null) return v[0] < p[0] || v[0] == p[0] && v[1] <= p[1];
        return compare(v, new int[]{p[0], p[1], p[2]}) <= 0;
    }

    private static int[] lower(String ver) {
        Integer[] p = parts(ver.trim().replaceFirst("^v", ""));
        return new int[]{p[0] == null ? 0 : p[0], p[1] == null ? 0 : p[1], p[2] == null ? 0 : p[2]};
    }

    /** Major, minor, patch; null for a missing or wildcard part. */
    private static Integer[] parts(String ver) {
        String[] s = ver.split("-", 2)[0].split("\\.");
        Integer[] out = new Integer[3];
        for (int i = 0; i < 3 && i < s.length; i++) {
            if (s[i].isEmpty() || s[i].equals("x") || s[i].equals("X") || s[i].equals("*")) break;
            try {
                out[i] = Integer.parseInt(s[i]);
            } catch (NumberFormatException e) {
                break;
            }
        }
        return out;
    }

    private static int compare(int[] a, int[] b) {
        for (int i = 0; i < 3; i++) if (a[i] != b[i]) return Integer.compare(a[i], b[i]);
        return 0;
    }
}
