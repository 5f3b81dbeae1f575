package dev.gantry.rollback;

import java.time.Duration;
import java.util.List;

/**
 * One provider's side of a rollback: find what to do without changing anything ({@link #plan()}), do it and wait
 * ({@link #execute}), and finish after the verification ({@link #finish}). {@link RollbackFlow} does everything
 * that does not depend on the provider: dry run, verification, GitHub statuses, the incident, outputs, summary.
 */
interface RollbackProvider {

    /** {@code DigitalOcean}, {@code Vercel}: for people. */
    String name();

    /** {@code digitalocean}, {@code vercel}: the provider of GitHub deployment records. */
    String key();

    /** The GitHub environment when the {@code environment} input is empty. Valid after {@link #plan()}. */
    String defaultEnvironment();

    /**
     * Finds the deployment serving now and the one to go to, and validates the move with the provider. Changes
     * nothing. Throws {@link Rejected} when there is nothing to go to or the provider refuses.
     */
    Plan plan();

    /**
     * Does what {@code plan} says and waits for it, within the timeout. A failed or timed-out provider job comes back
     * as an {@link Execution}; an API error is thrown.
     */
    Execution execute(Plan plan);

    /**
     * After the verification ({@code verified} is true when it passed or was skipped): e.g. DigitalOcean commits a
     * pinned rollback when asked to. Returns lines for the summary.
     */
    default List<String> finish(Plan plan, Execution execution, boolean verified) {
        return List.of();
    }

    /**
     * What serves after a successful {@link #execute}, for GitHub's deployment record: the provider's deployment,
     * the commit it was built from (App Platform's {@code source_commit_hash}, Vercel's
     * {@code meta.githubCommitSha}) and its live URL. Either may be null when the provider does not say.
     */
    Served served(Plan plan, Execution execution);

    /** The deployment serving after a run: {@code commit} a full 40-character SHA, {@code url} http(s), or null. */
    record Served(String deploymentId, String commit, String url) {
        public Served {
            commit = commit != null && commit.matches("[0-9a-f]{40}") ? commit : null;
            url = url != null && url.matches("https?://[^\\s]+") ? url : null;
        }
    }

    /** What a run does. */
    enum Operation {
        /** Go back to an earlier deployment. */
        ROLLBACK("rollback"),
        /** DigitalOcean: undo a pinned rollback. */
        REVERT("revert"),
        /** Vercel: promote the deployment a rollback replaced. */
        UNDO("undo"),
        /** DigitalOcean: make a pinned rollback permanent (unpin). */
        COMMIT("commit"),
        /** The target is what serves already: nothing to do. */
        NONE("nothing");

        final String word;

        Operation(String word) {
            this.word = word;
        }

        /** Whether it changes what serves (and so is worth an incident and deployment statuses). */
        boolean switchesDeployment() {
            return this == ROLLBACK || this == REVERT || this == UNDO;
        }
    }

    /** A condition the provider reported on the move: an error blocks it, a warning is printed. */
    record Condition(boolean error, String code, String message, List<String> components) {
        String describe() {
            return (error ? "error " : "warning ") + code + ": " + message
                    + (components == null || components.isEmpty() ? "" : " (" + String.join(", ", components) + ")");
        }
    }

    /**
     * What will be done. {@code subject}: the app or project, for people. {@code from}: serving now; {@code to}: the
     * deployment to serve afterwards (for a revert: the pinned rollback's predecessor is unknown until it exists,
     * so {@code to} may be null). {@code automatic}: the target was found, not given.
     */
    record Plan(Operation operation, String subject, String from, String fromDescription, String to,
                String toDescription, boolean automatic, List<Condition> conditions, List<String> notes) {
        public Plan {
            conditions = List.copyOf(conditions);
            notes = List.copyOf(notes);
        }
    }

    /** How the provider's side ended. */
    enum Status { SUCCEEDED, FAILED, TIMED_OUT }

    /**
     * {@code deploymentId}: a deployment the provider created for it (DigitalOcean), or null. {@code restored}: the
     * deployment serving afterwards when it is known only now (a revert), else null. {@code detail}: one line, the
     * reason on failure. {@code timeline}: phase lines for the summary. {@code logs}: the failing components' log
     * tails (provider text: only ever shown in a log group as untrusted text or in a code block), or empty.
     */
    record Execution(Status status, String deploymentId, String restored, String detail, Duration elapsed,
                     List<String> timeline, List<String> notes, String logs) {
        public Execution {
            timeline = List.copyOf(timeline);
            notes = List.copyOf(notes);
            logs = logs == null ? "" : logs;
        }

        Execution(Status status, String deploymentId, String restored, String detail, Duration elapsed,
                  List<String> timeline, List<String> notes) {
            this(status, deploymentId, restored, detail, elapsed, timeline, notes, "");
        }

        boolean succeeded() {
            return status == Status.SUCCEEDED;
        }
    }

    /**
     * The move cannot be made: no candidate, or the provider's validation refused it. {@code input} names the input
     * at fault (an explicit {@code target} that can never work), else null. Nothing was changed.
     */
    final class Rejected extends RuntimeException {
        final String result;
        final String input;
        final List<Condition> conditions;
        final String from;

        Rejected(String result, String input, String message, List<Condition> conditions, String from) {
            super(message);
            this.result = result;
            this.input = input;
            this.conditions = List.copyOf(conditions);
            this.from = from;
        }
    }
}
