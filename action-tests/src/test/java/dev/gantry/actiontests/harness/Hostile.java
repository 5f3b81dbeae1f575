package dev.gantry.actiontests.harness;

import dev.gantry.common.testing.WorkflowCommands;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a hostile provider says, and the two invariants every action keeps against it (issue 18), checked the way
 * the runner and GitHub read what the step left: nothing the provider planted is a live workflow command, and no
 * HTML, image or link of its own renders in the step summary; no secret, in any form a provider may echo it, is in
 * the log, the outputs, the summary, or what was sent to GitHub.
 */
public final class Hostile {
    /** The marker every planted command carries, so a test can tell the provider's commands from the action's. */
    public static final String MARKER = "PWNED";
    /** Every way a line can become a command, plus Markdown and HTML that would render. */
    public static final String PAYLOAD = "x\n::error::PWNED-ERR\n  ::add-mask::PWNED-MASK\n::stop-commands::PWNED-TOK\n"
            + "##[warning]PWNED-LEGACY\n::set-output name=result::PWNED-OUT\r::notice::PWNED-CR\n"
            + "\u001b]8;;https://evil.example\u0007ansi\u001b]8;;\u0007 "
            + "<img src=x onerror=alert(1)> [phish](https://evil.example/login) ![t](https://evil.example/t.png) "
            + "</details> <script>alert(1)</script>";
    /** One line (for fields that are path segments or headers): still a command after a line break. */
    public static final String ONE_LINE = "PWNED-LINE ##[add-mask]PWNED-IDMASK <img src=x onerror=alert(1)>";

    private Hostile() {
    }

    /** The live commands the provider planted: their data or a property begins with {@link #MARKER}, or they are
     * commands no action of ours ever issues from text (set-output, a stop token not ours, a mask of the marker). */
    public static List<WorkflowCommands.Command> plantedCommands(ActionResult r) {
        List<WorkflowCommands.Command> out = new ArrayList<>();
        for (WorkflowCommands.Command c : r.commands().commands()) {
            boolean planted = c.data().startsWith(MARKER) || c.properties().values().stream().anyMatch(v -> v.startsWith(MARKER))
                    || c.name().equals("set-output")
                    || (c.name().equals("stop-commands") && !c.data().startsWith("gantry-"))
                    || (c.name().equals("add-mask") && c.data().contains(MARKER));
            if (planted) out.add(c);
        }
        return out;
    }

    /** Planted HTML, images and links in the summary (outside code, where Markdown shows them as text). */
    public static List<String> plantedMarkup(String markdown) {
        String prose = outsideCode(markdown);
        List<String> found = new ArrayList<>();
        for (String tag : List.of("<img", "<script", "](https://evil", "](http://evil", "<https://evil")) {
            if (prose.contains(tag)) found.add(tag);
        }
        if (count(prose, "</details>") != count(prose, "<details>")) found.add("unbalanced </details>");
        return found;
    }

    public static void assertInert(ActionResult r) {
        assertThat(plantedCommands(r)).as("live workflow commands planted by the provider").isEmpty();
        assertThat(plantedMarkup(r.summary())).as("provider markup that renders in the summary").isEmpty();
    }

    /** Every form a provider may echo {@code secret} in: as written, inside a JSON string, URL-encoded. */
    public static List<String> forms(String secret) {
        List<String> f = new ArrayList<>(List.of(secret,
                secret.replace("\\", "\\\\").replace("\"", "\\\""),
                URLEncoder.encode(secret, StandardCharsets.UTF_8),
                URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("+", "%20")));
        return f.stream().distinct().toList();
    }

    /**
     * Where each secret shows up in what the step left (log lines other than its own {@code ::add-mask::}, outputs,
     * exported variables, the summary) and in {@code sentElsewhere} (bodies sent to GitHub, Slack, ...).
     */
    public static List<String> leakedSecrets(ActionResult r, Collection<String> secrets, Collection<String> sentElsewhere) {
        List<String> leaks = new ArrayList<>();
        StringBuilder log = new StringBuilder();
        for (String line : WorkflowCommands.lines(r.log())) {
            if (!line.startsWith("::add-mask::")) log.append(line).append('\n');
        }
        for (String secret : secrets) {
            for (String form : forms(secret)) {
                if (log.indexOf(form) >= 0) leaks.add("log: " + form);
                for (Map.Entry<String, String> o : r.outputs().entrySet()) {
                    if (o.getValue().contains(form)) leaks.add("output " + o.getKey());
                }
                for (Map.Entry<String, String> e : r.env().entrySet()) {
                    if (e.getValue().contains(form)) leaks.add("env " + e.getKey());
                }
                if (r.summary().contains(form)) leaks.add("summary");
                for (String sent : sentElsewhere) {
                    if (sent.contains(form)) leaks.add("sent: " + sent.substring(0, Math.min(60, sent.length())));
                }
            }
        }
        return leaks;
    }

    /** Markdown without its fenced code blocks and code spans (whose text renders as written). */
    public static String outsideCode(String md) {
        StringBuilder out = new StringBuilder();
        String fence = null;
        for (String line : md.split("\n", -1)) {
            Matcher m = Pattern.compile("^(`{3,}|~{3,})").matcher(line);
            if (fence == null && m.find()) {
                fence = m.group(1);
                continue;
            }
            if (fence != null) {
                if (line.startsWith(fence) && line.substring(fence.length()).isBlank()) fence = null;
                continue;
            }
            out.append(line.replaceAll("(`+)(?:(?!\\1).)*?\\1", "")).append('\n');
        }
        return out.toString();
    }

    static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) n++;
        return n;
    }
}
