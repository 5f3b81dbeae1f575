package dev.gantry.common.slack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.ActionContext.Ending;
import dev.gantry.common.action.Log;
import dev.gantry.common.action.Markdown;
import dev.gantry.common.http.Deadline;
import dev.gantry.common.http.ErrorBodies;
import dev.gantry.common.http.HttpApi;
import dev.gantry.common.http.ProviderException;
import dev.gantry.common.http.RateLimits;
import dev.gantry.common.http.RetryPolicy;
import dev.gantry.common.http.Time;
import dev.gantry.common.http.Transport;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Tells the team in Slack how a step ended: one Block Kit message ({@link SlackMessage}) through an incoming webhook
 * or the Web API's {@code chat.postMessage}, sent when the step ends, however it ends (exit 0 to 3), from what the
 * action gathered in {@link ActionContext#notice()}. Every action calls {@link #forStep} first thing.
 *
 * <p><b>One thread per release.</b> With the Web API, a step given {@code slack-thread} replies in that thread (a
 * failure is also shown in the channel: {@code reply_broadcast}); a step given none starts one. Either way the
 * step's {@code slack-thread} output names the thread, so the next step's {@code slack-thread} input continues it:
 * deploy → smoke test → rollback in one thread. A step that sends nothing passes its input on.
 *
 * <p><b>Slack never breaks a deploy.</b> The request goes through the common retry executor within the step's
 * deadline (and at most {@link #LIMIT}; a step whose time is up gets {@link #AFTER_END} of its own): a 429 is waited out as its {@code Retry-After} says when that fits, a
 * connection that was never made is tried again, and a post whose answer was lost is not resent (it may have
 * arrived). Whatever fails (a refused token, an unknown channel, a rate limit past the deadline, Slack down) is one
 * warning in the log and a line in the step summary; the step's result and exit code stay what they were.
 */
public final class SlackNotifier {
    /** The longest the message may take, whatever is left of the step's time. */
    public static final Duration LIMIT = Duration.ofMinutes(1);
    /**
     * What the message of a step whose time is up (or nearly) gets, from when the step ended: a step that timed
     * out is the one the team most needs to hear about, and the step's own deadline has nothing left for a 429's
     * short wait. A request may run {@link Deadline#GRACE} past it, so the message costs at most this plus that.
     */
    public static final Duration AFTER_END = Duration.ofSeconds(5);
    /** Each request: connecting, sending and the whole answer. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
    /** A 429 or a connection never made is tried again, at most four attempts in all. */
    static final RetryPolicy RETRY = new RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(30), LIMIT);
    /** How a webhook call is named in messages: never its URL, which is the secret. */
    static final String WEBHOOK_OPERATION = "POST (slack-webhook-url)";

    private final SlackSettings settings;
    private final Log log;

    public SlackNotifier(SlackSettings settings, Log log) {
        this.settings = Objects.requireNonNull(settings);
        this.log = Objects.requireNonNull(log);
    }

    /**
     * Reads the step's Slack inputs (a wrong one is an input error now, before anything happens) and sends the step's
     * message when it ends. Call it first in the action's {@code run}, so that a later input error is told too.
     */
    public static void forStep(ActionContext ctx) {
        SlackSettings settings = SlackSettings.read(ctx.inputs());
        if (settings.webhook() != null) ctx.log().addMask(settings.webhook().getRawPath());
        SlackNotifier notifier = new SlackNotifier(settings, ctx.log());
        ctx.atEnd(ending -> notifier.ended(ctx, ending));
    }

    /** Where a message went: the channel (Web API) and its thread, the parent message's timestamp. */
    public record Sent(String channel, String thread) {
    }

    /** The step ended: send its message when it is wanted, and set the {@code slack-thread} output. */
    void ended(ActionContext ctx, Ending ending) {
        String out = settings.threadOrNull() == null ? "" : settings.threadOrNull();
        try {
            if (!settings.configured()) {
                if (!settings.channel().isEmpty() || !settings.thread().isEmpty()) {
                    log.info("Slack: no message: slack-token and slack-webhook-url are empty in this run (a secret "
                            + "this run cannot read, such as on a pull request from a fork?)");
                }
                return;
            }
            if (!settings.wanted(ending.failed())) {
                log.info("Slack: no message (slack-on: " + settings.on().name().toLowerCase(Locale.ROOT)
                        + (settings.on() == SlackSettings.When.FAILURE ? ", and the step passed" : "") + ")");
                return;
            }
            try {
                ctx.notice().complete();
            } catch (RuntimeException e) {
                log.debug("Slack: the action's report could not be completed for the message: " + e);
            }
            ObjectNode payload = new SlackMessage(ctx.inputs().metadata().name(), ending, ctx.notice(), ctx.github(),
                    log::mask).payload();
            Sent sent = send(payload, ending.failed(), deadline(ctx));
            if (sent.thread() != null) out = sent.thread();
        } catch (RuntimeException e) {
            String why = describe(e);
            log.warning("Slack: the message was not sent: " + why + ". The step's result is unchanged.");
            ending.summary().paragraph(Markdown.format("**Slack:** the message was not sent: %s", why));
        } finally {
            ctx.setOutput("slack-thread", out);
        }
    }

    /**
     * The message's deadline: the step's, and at most {@link #LIMIT}; when the step's time is up or has less than
     * {@link #AFTER_END} left, {@link #AFTER_END} from now instead (the step has ended: its deadline has done its
     * job, and only this message is left to send).
     */
    static Deadline deadline(ActionContext ctx) {
        String limit = "Slack's limit of " + LIMIT.toSeconds() + "s";
        Deadline step = ctx.stepDeadline().orElse(null);
        if (step == null) return Deadline.after(LIMIT, ctx.time(), limit);
        if (step.remaining().compareTo(AFTER_END) < 0) {
            return Deadline.after(AFTER_END, ctx.time(), AFTER_END.toSeconds() + "s for Slack after the step's time"
                    + (step.description() == null ? "" : " (" + step.description() + ")"));
        }
        return step.within(LIMIT, limit);
    }

    /**
     * Sends {@code payload} (from {@link SlackMessage#payload()}) within {@code deadline}, into the configured
     * thread if any; {@code failed} broadcasts a reply in a thread to the channel. Throws on any failure.
     */
    public Sent send(ObjectNode payload, boolean failed, Deadline deadline) {
        ObjectNode message = payload.deepCopy();
        String thread = settings.threadOrNull();
        if (thread != null) message.put("thread_ts", thread);
        if (settings.webhook() != null) {
            postToWebhook(masked(message), deadline);
            log.info("Slack: message sent through the incoming webhook" + (thread == null ? "" : " in thread " + thread));
            return new Sent(null, thread);
        }
        message.put("channel", settings.channel());
        if (thread != null && failed) message.put("reply_broadcast", true);
        HttpApi http = HttpApi.builder("Slack").baseUrl(settings.apiUrl()).token(settings.token()).log(log)
                .requestTimeout(REQUEST_TIMEOUT).retryPolicy(RETRY).deadline(deadline).build();
        SlackWebApi.PostMessageResult r = http.client(SlackWebApi.class).postMessage(masked(message));
        if (r == null || !r.ok()) {
            throw new Refused(r == null ? "empty_answer" : r.error(), r == null ? List.of() : r.errors());
        }
        String where = r.channel() == null ? settings.channel() : r.channel();
        log.info("Slack: posted to " + settings.channel() + (thread == null ? " (message " + r.ts()
                + ", the thread of the next steps)" : " in thread " + thread));
        return new Sent(where, thread != null ? thread : r.ts());
    }

    /** The payload as it leaves: every registered secret masked in it (also JSON-escaped), whatever put it there. */
    private JsonNode masked(ObjectNode message) {
        try {
            String json = HttpApi.JSON.writeValueAsString(message);
            String safe = log.mask(json);
            return safe.equals(json) ? message : HttpApi.JSON.readTree(safe);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the Slack message: " + e.getMessage(), e);
        }
    }

    private void postToWebhook(JsonNode message, Deadline deadline) {
        HttpApi http = HttpApi.builder("Slack").baseUrl(settings.webhook()).log(log).requestTimeout(REQUEST_TIMEOUT)
                .retryPolicy(RETRY).deadline(deadline).build();
        byte[] body;
        try {
            body = HttpApi.JSON.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the Slack message: " + e.getMessage(), e);
        }
        Time time = deadline.time();
        http.executor().call(WEBHOOK_OPERATION, false, () -> {
            Duration timeout = deadline.capRequest(REQUEST_TIMEOUT);
            if (timeout.isZero()) throw deadline.exceeded("before " + WEBHOOK_OPERATION, null);
            HttpRequest request = HttpRequest.newBuilder(settings.webhook()).timeout(timeout)
                    .header("Content-Type", "application/json; charset=utf-8")
                    .header("User-Agent", http.userAgent())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            Transport.Answer a;
            try {
                a = http.transport().exchange(request, timeout, ErrorBodies.MAX_BODY);
            } catch (IOException e) {
                throw new ProviderException("Slack", 0, null, "could not complete the request: " + e.getMessage(),
                        null, WEBHOOK_OPERATION, e, null, false, Transport.neverSent(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProviderException("Slack", 0, null, "interrupted", null, WEBHOOK_OPERATION, e);
            }
            if (a.status() / 100 == 2) return null;
            String text = new String(a.body(), StandardCharsets.UTF_8).strip();
            ErrorBodies err = ErrorBodies.parse(text);
            String code = err.code() != null ? err.code() : text.matches("[a-z_]{2,64}") ? text : null;
            Instant retryAt = RateLimits.retryAt(a.status(), new HashMap<>(a.headers().map()), time.now()).orElse(null);
            throw new ProviderException("Slack", a.status(), code, code == null ? err.message() : null, null,
                    WEBHOOK_OPERATION, null, retryAt, a.status() == 429, false);
        });
    }

    /** Slack said no ({@code ok: false}) to a Web API call. */
    static final class Refused extends RuntimeException {
        final String error;
        final List<String> errors;

        Refused(String error, List<String> errors) {
            super("Slack answered " + error, null, false, false);
            this.error = error;
            this.errors = errors == null ? List.of() : errors;
        }
    }

    /** What went wrong, for the warning: what Slack said and what to do about it. */
    String describe(RuntimeException e) {
        String code = null;
        String detail = null;
        if (e instanceof Refused r) {
            code = r.error;
            if (!r.errors.isEmpty()) detail = String.join("; ", r.errors.subList(0, Math.min(3, r.errors.size())));
        } else if (e instanceof ProviderException p && p.errorCode() != null) {
            code = p.errorCode();
            detail = "HTTP " + p.status();
        }
        if (code == null) return e.getMessage();
        String c = code.toLowerCase(Locale.ROOT);
        String hint = switch (c) {
            case "invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive" ->
                    "slack-token was refused: use a bot token (xoxb-…) of an app installed in the workspace";
            case "missing_scope", "no_permission" -> "slack-token lacks the chat:write scope";
            case "channel_not_found" -> settings.webhook() != null ? "the webhook's channel no longer exists"
                    : "slack-channel '" + settings.channel() + "' was not found: give the channel's ID (C0123456789) "
                    + "or the name of a channel the app can see";
            case "not_in_channel" -> "the app is not a member of '" + settings.channel() + "': invite it to the "
                    + "channel (/invite @your-app)";
            case "is_archived", "channel_is_archived" -> "the channel is archived";
            case "thread_not_found" -> "slack-thread (" + settings.thread() + ") names no message of that channel";
            case "invalid_token", "no_service", "no_team", "team_disabled", "action_prohibited" ->
                    "slack-webhook-url was refused: the webhook was removed, or the URL is not the one Slack gave";
            case "ratelimited", "rate_limited" -> "Slack's rate limit";
            case "invalid_blocks", "invalid_payload", "msg_blocks_too_long", "msg_too_long", "no_text",
                 "invalid_arguments" -> "Slack refused the message itself, which is Gantry's fault: please report it";
            default -> null;
        };
        return code + (detail == null ? "" : " (" + detail + ")") + (hint == null ? "" : ": " + hint);
    }
}
