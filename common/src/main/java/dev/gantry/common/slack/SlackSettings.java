package dev.gantry.common.slack;

import dev.gantry.common.action.InputException;
import dev.gantry.common.action.Inputs;
import dev.gantry.common.http.BaseUrl;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * The Slack inputs every action declares, read and checked once. Two ways to post: an incoming webhook
 * ({@code slack-webhook-url}, a secret: the URL is the credential), or the Web API's {@code chat.postMessage}
 * ({@code slack-token} and {@code slack-channel}), which also threads ({@code slack-thread}). {@code slack-on}:
 * {@code always} (the default), {@code failure} or {@code never}.
 *
 * <p>What can only be wrong in the workflow file is refused at once, before the step does anything (exit 2 naming
 * the input): an unknown {@code slack-on}, a webhook URL that is no https URL, a webhook and a token both given, a
 * token without a channel, a {@code slack-thread} that is no message timestamp. What depends on secrets is not: a
 * secret that is empty in this run (a pull request from a fork gets none) means no message, and one line in the log
 * saying so, never a failed deploy.
 */
public record SlackSettings(URI webhook, String token, String channel, String thread, When on, URI apiUrl) {
    /** Slack's Web API root. */
    public static final String API = "https://slack.com/api";
    /** A message timestamp as Slack writes it ({@code ts}, {@code thread_ts}): seconds, a dot, six digits. */
    static final Pattern TS = Pattern.compile("\\d{1,12}\\.\\d{1,9}");

    /** When a message is sent. */
    public enum When {
        /** Whatever the step's result. */
        ALWAYS,
        /** Only when the step did not pass (exit code 1, 2 or 3). */
        FAILURE,
        /** Never (the thread given in {@code slack-thread} is still passed on). */
        NEVER
    }

    /** The inputs of the step, checked. */
    public static SlackSettings read(Inputs inputs) {
        String hook = inputs.secret("slack-webhook-url");
        String token = inputs.secret("slack-token");
        String channel = inputs.string("slack-channel");
        String thread = inputs.string("slack-thread");
        When on = switch (inputs.choice("slack-on", "always", "always", "failure", "never")) {
            case "failure" -> When.FAILURE;
            case "never" -> When.NEVER;
            default -> When.ALWAYS;
        };
        URI api = BaseUrl.check("slack-api-url", inputs.url("slack-api-url", API));
        URI webhook = hook.isEmpty() ? null : webhook(hook);
        if (webhook != null && !token.isEmpty()) {
            throw InputException.invalid("slack-token", "and slack-webhook-url are both set; use one of them: the "
                    + "incoming webhook, or slack-token with slack-channel (which can also thread messages)");
        }
        if (!token.isEmpty() && channel.isEmpty()) {
            throw new InputException("slack-channel", "Input required and not supplied: slack-channel (the channel "
                    + "slack-token posts to: its ID, such as C0123456789, or its name)");
        }
        if (webhook != null && !channel.isEmpty()) {
            throw InputException.invalid("slack-channel", "is for slack-token; an incoming webhook posts to the "
                    + "channel it was made for (leave slack-channel empty, or post with slack-token)");
        }
        if (!thread.isEmpty() && !TS.matcher(thread).matches()) {
            throw InputException.invalid("slack-thread", "must be the timestamp of a Slack message, such as "
                    + "1700000000.000100 (the slack-thread output of an earlier Gantry step); got '" + thread + "'");
        }
        return new SlackSettings(webhook, token, channel, thread, on, api);
    }

    /**
     * The webhook URL: absolute, {@code https://} (plain {@code http://} only on loopback, for tests), no user
     * info. The message never quotes the value (it is a secret).
     */
    static URI webhook(String value) {
        URI u;
        try {
            u = new URI(value);
        } catch (Exception e) {
            u = null;
        }
        if (u == null || u.getHost() == null || u.getRawUserInfo() != null || u.getRawPath() == null
                || u.getRawPath().length() <= 1) {
            throw InputException.invalid("slack-webhook-url", "must be the URL of a Slack incoming webhook, such as "
                    + "https://hooks.slack.com/services/T…/B…/… (the value given is not one; it is not shown, it is a "
                    + "secret)");
        }
        if (!"https".equals(u.getScheme()) && !("http".equals(u.getScheme()) && BaseUrl.isLoopback(u.getHost()))) {
            throw InputException.invalid("slack-webhook-url", "must use https:// (got " + u.getScheme() + "://"
                    + u.getHost() + "); a webhook URL is a credential and is never sent in clear text");
        }
        return u;
    }

    /** Whether a webhook or a token was given (an empty secret gives neither). */
    public boolean configured() {
        return webhook != null || !token.isEmpty();
    }

    /** Whether a message is wanted for a step that {@code failed} (or passed). */
    public boolean wanted(boolean failed) {
        return configured() && switch (on) {
            case ALWAYS -> true;
            case FAILURE -> failed;
            case NEVER -> false;
        };
    }

    /** The thread to post into, or null for a new message. */
    public String threadOrNull() {
        return thread == null || thread.isEmpty() ? null : thread;
    }

    @Override
    public String toString() {
        // never the webhook URL or the token
        return "SlackSettings[" + (webhook != null ? "webhook" : token.isEmpty() ? "off" : "channel " + channel)
                + ", on " + on + (thread.isEmpty() ? "" : ", thread " + thread) + "]";
    }
}
