package dev.gantry.common.action;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a step tells the team when it ends, gathered by the action as it goes ({@link ActionContext#notice()}): a
 * one-line headline, where (the environment), what (the app or project, its version and commit), facts, links and
 * the action's own sections (a table, a list). It holds no markup: every {@code String} in it may come from a
 * provider or a user and is escaped by whoever renders it (the Slack message); labels and titles are ours.
 *
 * <p>The verdict is not here: it is how the step ended (its exit code and {@code result}), which the renderer gets
 * from {@link ActionContext.Ending}, so a notice can never claim a success the step did not have. Facts set later
 * replace earlier ones of the same label: an action fills in what it knows at each stage, and a failure half way
 * still leaves what was known by then. A notice nobody filled is empty, and the renderer then says what every step
 * can say (verdict, reason, commit, run).
 */
public final class Notice {
    /** A labelled value: {@code Phase: ACTIVE}, {@code From → to: a → b}. */
    public record Fact(String label, String value) {
    }

    /** A link the renderer shows only when {@code url} is an absolute http(s) URL. */
    public record Link(String label, String url) {
    }

    /** One of the action's own parts of the message. */
    public sealed interface Section permits Table, Items {
        String title();
    }

    /** A small table (an SLO table): every cell is text. */
    public record Table(String title, List<String> header, List<List<String>> rows) implements Section {
        public Table {
            header = List.copyOf(header);
            List<List<String>> copy = new ArrayList<>();
            for (List<String> r : rows) copy.add(List.copyOf(r.stream().map(c -> c == null ? "" : c).toList()));
            rows = List.copyOf(copy);
        }
    }

    /** A list of lines (failed checks, the plan's migrations). */
    public record Items(String title, List<String> items) implements Section {
        public Items {
            items = List.copyOf(items.stream().map(i -> i == null ? "" : i).toList());
        }
    }

    private String headline;
    private String environment;
    private String subjectLabel;
    private String subject;
    private String version;
    private String commit;
    private final Map<String, Fact> facts = new LinkedHashMap<>();
    private final Map<String, Link> links = new LinkedHashMap<>();
    private final Map<String, Section> sections = new LinkedHashMap<>();
    private final List<java.util.function.Consumer<Notice>> later = new ArrayList<>();

    /** What happened, in one line ("Deployed shop-api to App Platform"). */
    public Notice headline(String line) {
        this.headline = blankToNull(line);
        return this;
    }

    /** Where: the environment (production, staging, preview). */
    public Notice environment(String name) {
        this.environment = blankToNull(name);
        return this;
    }

    /** What was deployed or checked: {@code label} ("App", "Project", "URL") and its name. */
    public Notice subject(String label, String name) {
        this.subjectLabel = label;
        this.subject = blankToNull(name);
        return this;
    }

    /** The version deployed (an image tag, a release name). */
    public Notice version(String version) {
        this.version = blankToNull(version);
        return this;
    }

    /** The commit deployed (a full SHA); without one, the renderer uses the workflow's. */
    public Notice commit(String sha) {
        this.commit = blankToNull(sha);
        return this;
    }

    /** A labelled fact; a blank value removes the fact. */
    public Notice fact(String label, String value) {
        if (value == null || value.isBlank()) facts.remove(label);
        else facts.put(label, new Fact(label, value));
        return this;
    }

    /** A link (the live URL, the deployment, the incident); a blank URL removes it. */
    public Notice link(String label, String url) {
        if (url == null || url.isBlank()) links.remove(label);
        else links.put(label, new Link(label, url.strip()));
        return this;
    }

    /** A table under {@code title} (replacing one of the same title). */
    public Notice table(String title, List<String> header, List<List<String>> rows) {
        sections.put(title, new Table(title, header, rows));
        return this;
    }

    /** A list of lines under {@code title} (replacing one of the same title); an empty list removes it. */
    public Notice items(String title, List<String> items) {
        if (items == null || items.isEmpty()) sections.remove(title);
        else sections.put(title, new Items(title, items));
        return this;
    }

    /**
     * Fills in the rest when the notice is read ({@link #complete()}): for an action whose report is complete only
     * at the end, whichever way the end comes. Fillers run once, in order, after what was set directly.
     */
    public Notice later(java.util.function.Consumer<Notice> filler) {
        later.add(java.util.Objects.requireNonNull(filler));
        return this;
    }

    /** Runs the {@link #later} fillers (once); call it before reading the notice. */
    public Notice complete() {
        List<java.util.function.Consumer<Notice>> pending = List.copyOf(later);
        later.clear();
        for (java.util.function.Consumer<Notice> f : pending) f.accept(this);
        return this;
    }

    public String headline() {
        return headline;
    }

    public String environment() {
        return environment;
    }

    public String subjectLabel() {
        return subjectLabel;
    }

    public String subject() {
        return subject;
    }

    public String version() {
        return version;
    }

    public String commit() {
        return commit;
    }

    public List<Fact> facts() {
        return List.copyOf(facts.values());
    }

    public List<Link> links() {
        return List.copyOf(links.values());
    }

    public List<Section> sections() {
        return List.copyOf(sections.values());
    }

    /** Whether the action told nothing. */
    public boolean isEmpty() {
        return headline == null && environment == null && subject == null && version == null && commit == null
                && facts.isEmpty() && links.isEmpty() && sections.isEmpty();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
