package dev.gantry.actiontests.harness;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The runner's reader of {@code GITHUB_OUTPUT}/{@code GITHUB_ENV}/{@code GITHUB_STATE} files
 * ({@code FileCommandManager.EnvFileKeyValuePairs}): per non-empty line, {@code name=value} when {@code =} comes
 * before any {@code <<}, else a heredoc up to a line exactly equal to the delimiter. Lines split on {@code \n}.
 */
public final class RunnerFiles {
    private RunnerFiles() {
    }

    public static Map<String, String> parseKeyValues(String content) {
        Map<String, String> out = new LinkedHashMap<>();
        String[] lines = content.split("\n", -1);
        int i = 0;
        while (i < lines.length) {
            String line = lines[i];
            if (line.isEmpty()) {
                i++;
                continue;
            }
            int eq = line.indexOf('=');
            int hd = line.indexOf("<<");
            if (eq >= 0 && (hd < 0 || eq < hd)) {
                String name = line.substring(0, eq);
                if (name.isEmpty()) throw new IllegalStateException("Invalid format '" + line + "'. Name must not be empty");
                out.put(name, line.substring(eq + 1));
                i++;
            } else if (hd > 0) {
                String name = line.substring(0, hd);
                String delimiter = line.substring(hd + 2);
                if (delimiter.isEmpty()) throw new IllegalStateException("Invalid format '" + line + "'. Delimiter must not be empty");
                StringBuilder value = new StringBuilder();
                i++;
                boolean found = false;
                boolean first = true;
                while (i < lines.length) {
                    if (lines[i].equals(delimiter)) {
                        found = true;
                        i++;
                        break;
                    }
                    if (!first) value.append('\n');
                    value.append(lines[i]);
                    first = false;
                    i++;
                }
                if (!found) throw new IllegalStateException("Invalid value. Matching delimiter not found '" + delimiter + "'");
                out.put(name, value.toString());
            } else {
                throw new IllegalStateException("Invalid format '" + line + "'");
            }
        }
        return out;
    }
}
