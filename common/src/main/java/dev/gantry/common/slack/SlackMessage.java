package dev.gantry.common.slack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.common.action.ActionContext.Ending;
import dev.gantry.common.action.ExitCode;
import dev.gantry.common.action.GitHubContext;
import dev.gantry.common.action.Notice;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The Block Kit message of a step, made from how it ended ({@link Ending}: the verdict is always the step's real
 * exit and {@code result}), what the action told ({@link Notice}) and the run ({@link GitHubContext}):
 *
 * <ol>
 *   <li>a {@code header}: the verdict ("✅ do-deploy · success"), our words only;</li>
 *   <li>a {@code section}: the headline, and for a failure the reason ("Why: …");</li>
 *   <li>a {@code section} of fields: environment, what (app or project), version, commit (linked), who or what
 *       triggered it, and the action's facts;</li>
 *   <li>the action's own sections (an SLO table, failed checks, the migration plan);</li>
 *   <li>a {@code context} of links: the workflow run, the live or preview URL, the deployment, the incident.</li>
 * </ol>
 *
 * <p>Every text passes {@code mask} (the step log's masker: every registered secret, in every form) and then
 * {@link Mrkdwn}'s escaping, in that order, so a secret cannot hide behind an entity; every mrkdwn text object is
 * {@code verbatim}. Slack's documented limits are kept, each cut with a visible note: section text 3,000 characters,
 * 10 fields of 2,000, header 150, 10 context elements, 50 blocks per message (docs.slack.dev/reference/block-kit).
 * The whole of the blocks' text also stays under {@link #MAX_TOTAL_TEXT}: Slack refuses messages whose blocks hold
 * much more with {@code msg_blocks_too_long} although each block is within its own limit (reported at about 13,200
 * characters in slackapi/bolt-js#2509).
 */
public final class SlackMessage {
    public static final int MAX_SECTION_TEXT = 3000;
    public static final int MAX_FIELDS = 10;
    public static final int MAX_FIELD_TEXT = 2000;
    public static final int MAX_HEADER_TEXT = 150;
    public static final int MAX_CONTEXT_ELEMENTS = 10;
    public static final int MAX_BLOCKS = 50;
    /** What the blocks' text may add up to (see the class comment). */
    public static final int MAX_TOTAL_TEXT = 11_000;
    /** The notification text (top-level {@code text}): one line. */
    static final int MAX_FALLBACK = 300;
    /** The headline is one line; the reason of a failure a short paragraph (the whole is in the run's log). */
    static final int MAX_HEADLINE = 300;
    static final int MAX_REASON = 1500;
    /** A fact longer than this is not a field but a line of its own. */
    static final int MAX_FACT_FIELD = 300;
    /** Rows of a table and lines of a list shown before "… and N more". */
    static final int MAX_ROWS = 25;

    private static final Pattern SHA = Pattern.compile("[0-9a-f]{7,40}");
    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+");
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final String action;
    private final Ending ending;
    private final Notice notice;
    private final GitHubContext github;
    private final UnaryOperator<String> mask;

    /**
     * {@code action}: the action's name ({@code do-deploy}); {@code mask}: applied to every text before it is
     * escaped (the step log's {@code mask}).
     */
    public SlackMessage(String action, Ending ending, Notice notice, GitHubContext github, UnaryOperator<String> mask) {
        this.action = action == null || action.isBlank() ? "Gantry" : action.replaceFirst("^Gantry ", "");
        this.ending = ending;
        this.notice = notice == null ? new Notice() : notice;
        this.github = github;
        this.mask = mask == null ? s -> s : mask;
    }

    /** The icon of a verdict: how the step ended, and its {@code result}. */
    static String icon(ExitCode code, String result) {
        String r = result == null ? "" : result;
        return switch (code) {
            case PASSED -> switch (r) {
                case "dry-run" -> "🔎";
                case "started" -> "🚀";
                case "deleted", "not-found" -> "🧹";
                default -> "✅";
            };
            case FAILED -> r.equals("timeout") ? "⏱️" : r.equals("blocked") ? "🛑" : "❌";
            case BAD_INPUT -> "⚠️";
            case PROVIDER_ERROR -> r.equals("inconclusive") ? "⚠️" : "🔥";
        };
    }

    /** The verdict line: "✅ do-deploy · success" (our words: the action's name and its result). */
    String verdict() {
        String r = ending.result() == null || ending.result().isBlank() ? ending.code().defaultResult() : ending.result();
        return icon(ending.code(), r) + " " + action + " · " + r;
    }

    /** The payload: {@code text} (the notification line) and {@code blocks}; no channel or thread. */
    public ObjectNode payload() {
        Blocks blocks = new Blocks();
        blocks.header(verdict());

        String headline = text(notice.headline());
        String reason = text(ending.reason());
        if (headline == null) {
            headline = ending.failed() && reason != null ? firstLine(reason)
                    : ending.failed() ? "The step did not pass." : "The step passed.";
        }
        headline = shorten(headline, MAX_HEADLINE);
        Mrkdwn head = Mrkdwn.bold(headline);
        if (ending.failed() && reason != null && !reason.equals(headline) && !firstLine(reason).equals(headline)) {
            head = head.append("\n").append(Mrkdwn.of("*Why:* ")).append(Mrkdwn.lines(shorten(reason, MAX_REASON)));
        }
        blocks.section(head);

        List<Mrkdwn> fields = new ArrayList<>();
        List<Mrkdwn> moreFacts = new ArrayList<>();
        field(fields, "Environment", text(notice.environment()));
        if (notice.subject() != null) {
            field(fields, notice.subjectLabel() == null ? "What" : notice.subjectLabel(), text(notice.subject()));
        }
        field(fields, "Version", text(notice.version()));
        Mrkdwn commit = commit();
        if (commit != null) fields.add(Mrkdwn.of("*Commit*\n").append(commit));
        Mrkdwn trigger = trigger();
        if (trigger != null) fields.add(Mrkdwn.of("*Triggered by*\n").append(trigger));
        for (Notice.Fact f : notice.facts()) {
            String value = text(f.value());
            if (value == null) continue;
            Mrkdwn m = Mrkdwn.bold(f.label()).append("\n").append(Mrkdwn.lines(value));
            // a short fact is a field; a long one (a reason, a list) gets a line of its own below them
            if (fields.size() < MAX_FIELDS && m.length() <= MAX_FACT_FIELD) fields.add(m);
            else moreFacts.add(Mrkdwn.bold(f.label()).append(": ").append(Mrkdwn.lines(value)));
        }
        blocks.fields(fields);
        if (!moreFacts.isEmpty()) {
            Mrkdwn more = Mrkdwn.of("");
            for (Mrkdwn m : moreFacts) more = more.append(more.isEmpty() ? "" : "\n").append(m);
            blocks.section(more);
        }

        for (Notice.Section s : notice.sections()) {
            blocks.section(switch (s) {
                case Notice.Table t -> table(t);
                case Notice.Items i -> items(i);
            });
        }

        List<Mrkdwn> links = new ArrayList<>();
        String run = github == null ? "" : github.runUrl();
        if (!run.isEmpty()) links.add(Mrkdwn.link(mask.apply(run), "Workflow run"));
        for (Notice.Link l : notice.links()) {
            if (Mrkdwn.target(l.url()) != null) links.add(Mrkdwn.link(mask.apply(l.url()), l.label()));
        }
        String repo = github == null ? "" : github.repository();
        if (REPO.matcher(repo).matches()) links.add(Mrkdwn.text(repo));
        blocks.context(links);

        ObjectNode payload = F.objectNode();
        payload.put("text", Mrkdwn.text(shorten(verdict() + ": " + headline, MAX_FALLBACK)).toString());
        payload.set("blocks", blocks.array());
        payload.put("unfurl_links", false);
        payload.put("unfurl_media", false);
        return payload;
    }

    /** {@code s} masked and stripped, or null when blank. */
    private String text(String s) {
        if (s == null || s.isBlank()) return null;
        return mask.apply(s).strip();
    }

    /** {@code s} cut to {@code max} characters with an ellipsis (never inside a surrogate pair). */
    static String shorten(String s, int max) {
        if (s.length() <= max) return s;
        int end = max - 1;
        if (Character.isHighSurrogate(s.charAt(end - 1))) end--;
        return s.substring(0, end) + "…";
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl).strip();
    }

    private static void field(List<Mrkdwn> fields, String label, String value) {
        if (value == null) return;
        fields.add(Mrkdwn.of("*" + label + "*\n").append(Mrkdwn.text(value)));
    }

    /** The commit, as a short SHA in code, linked to the commit on GitHub when the repository is known. */
    private Mrkdwn commit() {
        String sha = text(notice.commit());
        if (sha == null && github != null) sha = text(github.headSha());
        if (sha == null || !SHA.matcher(sha).matches()) return sha == null ? null : Mrkdwn.code(sha);
        String shortSha = sha.substring(0, Math.min(7, sha.length()));
        String repo = github == null ? "" : github.repository();
        if (!REPO.matcher(repo).matches()) return Mrkdwn.code(shortSha);
        return Mrkdwn.link(github.serverUrl() + "/" + repo + "/commit/" + sha, shortSha);
    }

    /** Who or what started the run: the actor, the event and workflow, the pull request. */
    private Mrkdwn trigger() {
        if (github == null || github.actor().isEmpty()) return null;
        Mrkdwn m = Mrkdwn.text(mask.apply(github.actor()));
        List<String> how = new ArrayList<>();
        if (!github.eventName().isEmpty()) how.add(github.eventName());
        if (!github.workflow().isEmpty()) how.add("workflow " + github.workflow());
        if (!how.isEmpty()) m = m.append(" (").append(Mrkdwn.text(mask.apply(String.join(", ", how)))).append(")");
        var pr = github.pullRequestNumber();
        String repo = github.repository();
        if (pr.isPresent() && REPO.matcher(repo).matches()) {
            m = m.append(", ").append(Mrkdwn.link(github.serverUrl() + "/" + repo + "/pull/" + pr.getAsInt(),
                    "PR #" + pr.getAsInt()));
        }
        return m;
    }

    /** A table as aligned columns in a preformatted block (mrkdwn has no tables). */
    private Mrkdwn table(Notice.Table t) {
        List<List<String>> all = new ArrayList<>();
        all.add(t.header().stream().map(this::cell).toList());
        int shown = Math.min(MAX_ROWS, t.rows().size());
        for (List<String> r : t.rows().subList(0, shown)) all.add(r.stream().map(this::cell).toList());
        int cols = all.stream().mapToInt(List::size).max().orElse(0);
        int[] width = new int[cols];
        for (List<String> r : all) {
            for (int i = 0; i < r.size(); i++) width[i] = Math.max(width[i], r.get(i).codePointCount(0, r.get(i).length()));
        }
        StringBuilder b = new StringBuilder();
        for (List<String> r : all) {
            for (int i = 0; i < r.size(); i++) {
                String c = r.get(i);
                b.append(c);
                if (i < r.size() - 1) b.append(" ".repeat(width[i] - c.codePointCount(0, c.length()) + 2));
            }
            b.append('\n');
        }
        Mrkdwn m = Mrkdwn.bold(t.title()).append("\n").append(Mrkdwn.codeBlock(b.toString()));
        if (t.rows().size() > shown) m = m.append("\n").append(Mrkdwn.format("_… and %s more_", t.rows().size() - shown));
        return m;
    }

    private String cell(String c) {
        String t = mask.apply(c == null ? "" : c).replace('\n', ' ').replace('\t', ' ').strip();
        return t.length() > 120 ? t.substring(0, 119) + "…" : t;
    }

    private Mrkdwn items(Notice.Items i) {
        Mrkdwn m = Mrkdwn.bold(i.title());
        int shown = Math.min(MAX_ROWS, i.items().size());
        for (String item : i.items().subList(0, shown)) {
            m = m.append("\n• ").append(Mrkdwn.text(mask.apply(item)));
        }
        if (i.items().size() > shown) m = m.append("\n").append(Mrkdwn.format("_… and %s more_", i.items().size() - shown));
        return m;
    }

    /** Blocks under Slack's limits: each cut with a note, the whole kept under the block count and total text. */
    static final class Blocks {
        private static final String CUT = "_… cut here: Slack takes at most %s characters per section; the full "
                + "report is in the workflow run._";
        private final ArrayNode array = F.arrayNode();
        private int total;
        private int dropped;

        /** Room kept for the closing context block and the note about dropped sections. */
        private static final int RESERVE_BLOCKS = 2;
        private static final int RESERVE_TEXT = 1_200;

        void header(String plain) {
            String t = plain.length() > MAX_HEADER_TEXT ? plain.substring(0, MAX_HEADER_TEXT - 1) + "…" : plain;
            ObjectNode b = array.addObject();
            b.put("type", "header");
            ObjectNode text = b.putObject("text");
            text.put("type", "plain_text");
            text.put("text", t);
            text.put("emoji", true);
            total += t.length();
        }

        void section(Mrkdwn m) {
            if (m.isEmpty()) return;
            Mrkdwn t = m.clip(MAX_SECTION_TEXT, String.format(Locale.ROOT, CUT, "3,000"));
            if (array.size() >= MAX_BLOCKS - RESERVE_BLOCKS || total + t.length() > MAX_TOTAL_TEXT - RESERVE_TEXT) {
                int left = MAX_TOTAL_TEXT - RESERVE_TEXT - total;
                if (array.size() < MAX_BLOCKS - RESERVE_BLOCKS && left > 400) {
                    t = t.clip(left, "_… cut here: the message would be longer than Slack takes; the full report is "
                            + "in the workflow run._");
                } else {
                    dropped++;
                    return;
                }
            }
            ObjectNode b = array.addObject();
            b.put("type", "section");
            b.set("text", mrkdwn(t));
            total += t.length();
        }

        void fields(List<Mrkdwn> fields) {
            if (fields.isEmpty()) return;
            ObjectNode b = array.addObject();
            b.put("type", "section");
            ArrayNode fs = b.putArray("fields");
            for (Mrkdwn f : fields.subList(0, Math.min(MAX_FIELDS, fields.size()))) {
                Mrkdwn t = f.clip(MAX_FIELD_TEXT, "_… cut_");
                fs.add(mrkdwn(t));
                total += t.length();
            }
        }

        /** The links, joined in one element (so that many never overflow the element limit), after a note on what was dropped. */
        void context(List<Mrkdwn> links) {
            ArrayNode es = F.arrayNode();
            if (dropped > 0) {
                es.add(mrkdwn(Mrkdwn.format("_%s more section(s) not shown: Slack takes at most %s blocks and about %s "
                        + "characters per message; the full report is in the workflow run._", dropped, MAX_BLOCKS,
                        String.format(Locale.ROOT, "%,d", MAX_TOTAL_TEXT))));
            }
            Mrkdwn joined = Mrkdwn.of("");
            for (Mrkdwn l : links) joined = joined.append(joined.isEmpty() ? "" : "  ·  ").append(l);
            if (!joined.isEmpty()) es.add(mrkdwn(joined.clip(MAX_SECTION_TEXT, "…")));
            if (es.isEmpty()) return;
            ObjectNode b = array.addObject();
            b.put("type", "context");
            b.set("elements", es);
        }

        ArrayNode array() {
            return array;
        }

        private static ObjectNode mrkdwn(Mrkdwn m) {
            ObjectNode t = F.objectNode();
            t.put("type", "mrkdwn");
            t.put("text", m.toString());
            t.put("verbatim", true);
            return t;
        }
    }
}
