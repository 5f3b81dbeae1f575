package dev.gantry.actiontests.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.common.testing.LoopbackServer;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Slack on loopback, for what the notifier uses: incoming webhooks ({@code POST /services/T…/B…/…}) and the Web API's
 * {@code chat.postMessage} ({@code POST /api/chat.postMessage}), one workspace with channels, messages and threads.
 * It holds every payload to Slack's documented shapes and limits, and refuses as Slack does:
 *
 * <ul>
 *   <li>{@code chat.postMessage} (docs.slack.dev/reference/methods/chat.postMessage; its argument and error list as
 *       published in slack-ruby/slack-api-ref methods/chat/chat.postMessage.json): a bearer token (missing:
 *       {@code not_authed}; wrong: {@code invalid_auth}; revoked: {@code token_revoked}), a JSON body, a
 *       {@code channel} (an ID, a name, or {@code #name}; else {@code channel_not_found}), {@code text} or
 *       {@code blocks} (else {@code no_text}), {@code text} of at most 40,000 characters ({@code msg_too_long}),
 *       {@code thread_ts} naming a message of the channel that is not itself a reply (Slack: "avoid using a reply's
 *       ts value; use its parent instead"; stricter here: {@code thread_not_found}). Refusals are HTTP 200 with
 *       {@code {"ok": false, "error": …}}, as the Web API answers; success is {@code {"ok": true, "channel", "ts",
 *       "message"}}.</li>
 *   <li>Incoming webhooks (docs.slack.dev/messaging/sending-messages-using-incoming-webhooks; the error codes of
 *       api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks): {@code 200 ok}; 400
 *       {@code invalid_payload} (not JSON) or {@code invalid_blocks}; 403 {@code invalid_token} (a revoked webhook,
 *       as commonly reported); 404 {@code no_service} (an unknown webhook) or {@code channel_not_found} (its channel
 *       is gone); {@code thread_ts} is honoured as in {@code chat.postMessage}.</li>
 *   <li>Block Kit (docs.slack.dev/reference/block-kit/blocks): at most 50 blocks per message; {@code header} with a
 *       {@code plain_text} of at most 150 characters; {@code section} with a text of at most 3,000 or 1 to 10
 *       {@code fields} of at most 2,000; {@code context} with 1 to 10 elements; {@code divider}; text objects
 *       {@code plain_text} or {@code mrkdwn} ({@code verbatim} only on mrkdwn, {@code emoji} only on plain_text);
 *       {@code block_id} at most 255. A violation is {@code invalid_blocks} with the reasons in {@code errors}, as
 *       Slack lists them. The blocks' text may add up to at most {@link #MAX_BLOCKS_TEXT} characters
 *       ({@code msg_blocks_too_long}; undocumented, observed at about 13,200 in slackapi/bolt-js#2509).</li>
 *   <li>Rate limits (docs.slack.dev/apis/web-api/rate-limits; "HTTP 429 Too Many Requests … a Retry-After header
 *       containing the number of seconds until you can retry", also for incoming webhooks): {@link #rateLimit}
 *       answers the next posts with 429 and {@code Retry-After}. With a {@link #clock} it also plays the strict
 *       server: a post before the {@code Retry-After} has passed is refused again and counted
 *       ({@link #earlyRetries()}).</li>
 * </ul>
 *
 * It also renders a channel as people would read it ({@link #render}), and lists what in the messages Slack would
 * read as mentions and links ({@link #controlSequences}), so tests can tell that provider text stayed text.
 */
public final class SlackSimulator extends LoopbackServer {
    /** The bot token the workspace accepts. */
    public static final String TOKEN = "xoxb-7310000000-7320000000-SimulatedSlackBotToken00";
    /** The secret part of the one incoming webhook. */
    public static final String WEBHOOK_PATH = "/services/T07GANTRY/B07DEPLOYS/SimulatedWebhookSecret000000";
    /** The channel the webhook posts to and the bot is a member of. */
    public static final String CHANNEL = "deploys";
    public static final String CHANNEL_ID = "C07DEPLOYS";
    /** What the blocks' text may add up to before Slack answers {@code msg_blocks_too_long}. */
    public static final int MAX_BLOCKS_TEXT = 13_000;
    static final Set<String> BLOCK_TYPES = Set.of("header", "section", "context", "divider");
    private static final Pattern TS = Pattern.compile("\\d{1,12}\\.\\d{6}");
    private static final Pattern CONTROL = Pattern.compile("<([^<>]*)>");

    /** A message as Slack stored it. {@code via}: {@code api} or {@code webhook}. */
    public record Message(String channel, String ts, String threadTs, String text, JsonNode blocks,
                          boolean replyBroadcast, String via, String payload) {
        public boolean isReply() {
            return threadTs != null;
        }
    }

    /** A post Slack refused, and why. */
    public record Refusal(String route, int status, String error, List<String> errors) {
    }

    private final Map<String, String> channels = new LinkedHashMap<>();
    private final List<Message> messages = new ArrayList<>();
    private final List<Refusal> refusals = new ArrayList<>();
    private long nextTs = 1_763_899_200L;
    private int seq = 100;
    private int rateLimited;
    private int retryAfterSeconds = 1;
    private Instant notBefore;
    private int earlyRetries;
    private int served429;
    private Clock clock;
    private boolean tokenRevoked;
    private boolean webhookRevoked;
    private boolean channelDeleted;

    public SlackSimulator() {
        channels.put(CHANNEL_ID, CHANNEL);
        channels.put("C07RELEASE", "releases");
        route("POST", "/api/chat\\.postMessage", (req, m) -> postMessage(req));
        route("POST", "/services/([A-Z0-9]+)/([A-Z0-9]+)/([A-Za-z0-9]+)", (req, m) -> webhook(req));
    }

    /** The Web API root to give as {@code slack-api-url}. */
    public URI apiUrl() {
        return URI.create(baseUrl() + "/api");
    }

    /** The incoming webhook's URL (a secret). */
    public URI webhookUrl() {
        return URI.create(baseUrl() + WEBHOOK_PATH);
    }

    // ---- the adversary ----------------------------------------------------------------------------------------------

    /** The next {@code times} posts (either way) are answered 429 with {@code Retry-After: seconds}. */
    public synchronized SlackSimulator rateLimit(int times, int seconds) {
        this.rateLimited = times;
        this.retryAfterSeconds = seconds;
        return this;
    }

    /**
     * The clock that {@code Retry-After} is kept by: with it, a post that comes before the pause asked for has passed
     * is refused again (and counted). Give the clock the action runs on (a virtual one in tests).
     */
    public synchronized SlackSimulator clock(Clock c) {
        this.clock = c;
        return this;
    }

    /** The bot token is revoked: the Web API answers {@code token_revoked}. */
    public synchronized SlackSimulator revokeToken() {
        this.tokenRevoked = true;
        return this;
    }

    /** The webhook is removed: it answers 403 {@code invalid_token}. */
    public synchronized SlackSimulator revokeWebhook() {
        this.webhookRevoked = true;
        return this;
    }

    /** The webhook's channel is deleted: the webhook answers 404 {@code channel_not_found}. */
    public synchronized SlackSimulator deleteWebhookChannel() {
        this.channelDeleted = true;
        return this;
    }

    // ---- what it holds ------------------------------------------------------------------------------------------------

    public synchronized List<Message> messages() {
        return List.copyOf(messages);
    }

    /** The messages that start a thread or stand alone (not replies), in order. */
    public synchronized List<Message> topLevel() {
        return messages.stream().filter(m -> !m.isReply()).toList();
    }

    /** The replies in the thread of {@code ts}, in order. */
    public synchronized List<Message> replies(String ts) {
        return messages.stream().filter(m -> ts.equals(m.threadTs())).toList();
    }

    public synchronized List<Refusal> refusals() {
        return List.copyOf(refusals);
    }

    /** Posts that came before the {@code Retry-After} of an earlier 429 had passed. */
    public synchronized int earlyRetries() {
        return earlyRetries;
    }

    /** 429 answers served. */
    public synchronized int served429() {
        return served429;
    }

    // ---- the Web API ------------------------------------------------------------------------------------------------

    private synchronized Reply postMessage(RecordedRequest req) {
        Reply limited = rateLimited("api");
        if (limited != null) return limited;
        String auth = req.header("authorization");
        if (auth == null || auth.isBlank()) return refuse("api", "not_authed", List.of());
        if (!auth.equals("Bearer " + TOKEN)) return refuse("api", "invalid_auth", List.of());
        if (tokenRevoked) return refuse("api", "token_revoked", List.of());
        String type = req.header("content-type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return refuse("api", "invalid_post_type", List.of());
        }
        JsonNode body;
        try {
            body = JSON.readTree(req.body());
        } catch (IOException e) {
            return refuse("api", "invalid_json", List.of(e.getMessage()));
        }
        if (body == null || !body.isObject()) return refuse("api", "invalid_json", List.of("not a JSON object"));
        String channel = channelId(body.path("channel").asText(""));
        if (channel == null) return refuse("api", "channel_not_found", List.of());
        String problem = checkMessage(body, channel);
        if (problem != null) return refuse("api", problem, blockErrors(body));
        Message m = store(body, channel, "api", req.bodyText());
        ObjectNode ok = JSON.createObjectNode();
        ok.put("ok", true);
        ok.put("channel", channel);
        ok.put("ts", m.ts());
        ObjectNode message = ok.putObject("message");
        message.put("type", "message");
        message.put("subtype", "bot_message");
        message.put("text", m.text());
        message.put("ts", m.ts());
        if (m.threadTs() != null) message.put("thread_ts", m.threadTs());
        if (m.blocks() != null) message.set("blocks", m.blocks());
        return Reply.json(200, ok);
    }

    // ---- incoming webhooks --------------------------------------------------------------------------------------------

    private synchronized Reply webhook(RecordedRequest req) {
        if (!req.path().equals(WEBHOOK_PATH)) return refuseWebhook(404, "no_service");
        Reply limited = rateLimited("webhook");
        if (limited != null) return limited;
        if (webhookRevoked) return refuseWebhook(403, "invalid_token");
        if (channelDeleted) return refuseWebhook(404, "channel_not_found");
        JsonNode body;
        try {
            body = JSON.readTree(req.body());
        } catch (IOException e) {
            return refuseWebhook(400, "invalid_payload");
        }
        if (body == null || !body.isObject()) return refuseWebhook(400, "invalid_payload");
        String problem = checkMessage(body, CHANNEL_ID);
        if (problem != null) {
            refusals.add(new Refusal("webhook", 400, problem, blockErrors(body)));
            return Reply.text(400, problem);
        }
        store(body, CHANNEL_ID, "webhook", req.bodyText());
        return Reply.text(200, "ok");
    }

    private Reply refuseWebhook(int status, String error) {
        refusals.add(new Refusal("webhook", status, error, List.of()));
        return Reply.text(status, error);
    }

    // ---- shared ---------------------------------------------------------------------------------------------------------

    private Reply rateLimited(String route) {
        Instant now = clock == null ? null : clock.instant();
        if (clock != null && notBefore != null && now.isBefore(notBefore)) {
            earlyRetries++;
            long left = Math.max(1, Duration.between(now, notBefore).toSeconds());
            return tooMany(route, left);
        }
        if (rateLimited > 0) {
            rateLimited--;
            if (clock != null) notBefore = now.plusSeconds(retryAfterSeconds);
            return tooMany(route, retryAfterSeconds);
        }
        return null;
    }

    private Reply tooMany(String route, long seconds) {
        served429++;
        refusals.add(new Refusal(route, 429, "ratelimited", List.of()));
        if (route.equals("webhook")) return Reply.text(429, "rate_limited").withHeader("Retry-After", Long.toString(seconds));
        ObjectNode b = JSON.createObjectNode();
        b.put("ok", false);
        b.put("error", "ratelimited");
        return Reply.json(429, b).withHeader("Retry-After", Long.toString(seconds));
    }

    private Reply refuse(String route, String error, List<String> errors) {
        refusals.add(new Refusal(route, 200, error, errors));
        ObjectNode b = JSON.createObjectNode();
        b.put("ok", false);
        b.put("error", error);
        if (!errors.isEmpty()) {
            ArrayNode es = b.putArray("errors");
            errors.forEach(es::add);
            b.putObject("response_metadata").set("messages", es.deepCopy());
        }
        return Reply.json(200, b);
    }

    /** A channel ID for an ID, a name or {@code #name}; null when there is no such channel. */
    private String channelId(String given) {
        if (given.isEmpty()) return null;
        if (channels.containsKey(given)) return given;
        String name = given.startsWith("#") ? given.substring(1) : given;
        for (Map.Entry<String, String> e : channels.entrySet()) if (e.getValue().equals(name)) return e.getKey();
        return null;
    }

    /** The error code for a payload Slack refuses, or null when it is fine. */
    private String checkMessage(JsonNode body, String channel) {
        JsonNode text = body.get("text");
        JsonNode blocks = body.get("blocks");
        boolean hasText = text != null && text.isTextual() && !text.asText().isBlank();
        if (!hasText && (blocks == null || !blocks.isArray() || blocks.isEmpty())) return "no_text";
        if (hasText && text.asText().length() > 40_000) return "msg_too_long";
        if (blocks != null) {
            if (!blockErrors(body).isEmpty()) return "invalid_blocks";
            if (blocksText(blocks) > MAX_BLOCKS_TEXT) return "msg_blocks_too_long";
        }
        JsonNode thread = body.get("thread_ts");
        if (thread != null && !thread.isNull()) {
            String ts = thread.asText();
            boolean parent = TS.matcher(ts).matches() && messages.stream()
                    .anyMatch(m -> m.channel().equals(channel) && m.ts().equals(ts) && !m.isReply());
            if (!parent) return "thread_not_found";
        }
        return null;
    }

    /** Every Block Kit rule the payload breaks, in Slack's words and with its JSON pointer. */
    static List<String> blockErrors(JsonNode body) {
        List<String> errors = new ArrayList<>();
        JsonNode blocks = body.get("blocks");
        if (blocks == null) return errors;
        if (!blocks.isArray()) {
            errors.add("must be an array [json-pointer:/blocks]");
            return errors;
        }
        if (blocks.size() > 50) errors.add("no more than 50 items allowed [json-pointer:/blocks]");
        for (int i = 0; i < blocks.size(); i++) {
            JsonNode b = blocks.get(i);
            String at = "/blocks/" + i;
            String type = b.path("type").asText("");
            if (!BLOCK_TYPES.contains(type)) {
                errors.add("must be a valid enum value [json-pointer:" + at + "/type]");
                continue;
            }
            if (b.has("block_id") && b.path("block_id").asText("").length() > 255) {
                errors.add("must be less than 256 characters [json-pointer:" + at + "/block_id]");
            }
            switch (type) {
                case "header" -> {
                    textObject(errors, b.get("text"), at + "/text", 150, true);
                    if (!"plain_text".equals(b.path("text").path("type").asText())) {
                        errors.add("must be plain_text [json-pointer:" + at + "/text/type]");
                    }
                }
                case "section" -> {
                    JsonNode fields = b.get("fields");
                    if (b.get("text") == null && fields == null) {
                        errors.add("must provide text or fields [json-pointer:" + at + "]");
                    }
                    if (b.get("text") != null) textObject(errors, b.get("text"), at + "/text", 3000, false);
                    if (fields != null) {
                        if (!fields.isArray() || fields.isEmpty() || fields.size() > 10) {
                            errors.add("must have 1 to 10 items [json-pointer:" + at + "/fields]");
                        } else {
                            for (int f = 0; f < fields.size(); f++) {
                                textObject(errors, fields.get(f), at + "/fields/" + f, 2000, false);
                            }
                        }
                    }
                }
                case "context" -> {
                    JsonNode es = b.get("elements");
                    if (es == null || !es.isArray() || es.isEmpty() || es.size() > 10) {
                        errors.add("must have 1 to 10 items [json-pointer:" + at + "/elements]");
                    } else {
                        for (int e = 0; e < es.size(); e++) textObject(errors, es.get(e), at + "/elements/" + e, 3000, false);
                    }
                }
                default -> {
                    // divider: nothing to check
                }
            }
        }
        return errors;
    }

    private static void textObject(List<String> errors, JsonNode t, String at, int max, boolean plainOnly) {
        if (t == null || !t.isObject()) {
            errors.add("must be an object [json-pointer:" + at + "]");
            return;
        }
        String type = t.path("type").asText("");
        if (!type.equals("plain_text") && !type.equals("mrkdwn")) {
            errors.add("must be a valid enum value [json-pointer:" + at + "/type]");
        }
        if (t.has("verbatim") && !type.equals("mrkdwn")) errors.add("verbatim is for mrkdwn [json-pointer:" + at + "]");
        if (t.has("emoji") && !type.equals("plain_text")) errors.add("emoji is for plain_text [json-pointer:" + at + "]");
        String text = t.path("text").asText("");
        if (text.isEmpty()) errors.add("must be more than 0 characters [json-pointer:" + at + "/text]");
        if (text.length() > max) errors.add("must be less than " + (max + 1) + " characters [json-pointer:" + at + "/text]");
    }

    /** The characters of every text in the blocks. */
    static int blocksText(JsonNode blocks) {
        int n = 0;
        for (JsonNode t : textObjects(blocks)) n += t.path("text").asText("").length();
        return n;
    }

    /** Every text object of the blocks, in order. */
    static List<JsonNode> textObjects(JsonNode blocks) {
        List<JsonNode> out = new ArrayList<>();
        if (blocks == null) return out;
        for (JsonNode b : blocks) {
            if (b.has("text")) out.add(b.get("text"));
            for (JsonNode f : b.path("fields")) out.add(f);
            for (JsonNode e : b.path("elements")) if (e.has("text")) out.add(e);
        }
        return out;
    }

    private Message store(JsonNode body, String channel, String via, String raw) {
        String ts = (nextTs++) + "." + String.format(Locale.ROOT, "%06d", seq++);
        JsonNode thread = body.get("thread_ts");
        Message m = new Message(channel, ts, thread == null || thread.isNull() ? null : thread.asText(),
                body.path("text").asText(""), body.get("blocks"), body.path("reply_broadcast").asBoolean(false), via, raw);
        messages.add(m);
        return m;
    }

    @Override
    protected Reply notFound(RecordedRequest req) {
        if (req.path().startsWith("/api/")) {
            ObjectNode b = JSON.createObjectNode();
            b.put("ok", false);
            b.put("error", "unknown_method");
            return Reply.json(404, b);
        }
        return Reply.text(404, "no_service");
    }

    /**
     * Where {@code secret} reached Slack: in a payload in any form it can take there (as written, JSON-escaped,
     * URL-encoded either way, mrkdwn-escaped), or in what a message shows. Empty when nowhere.
     */
    public synchronized List<String> leaksOf(String secret) {
        List<String> forms = new ArrayList<>();
        forms.add(secret);
        try {
            String j = JSON.writeValueAsString(secret);
            forms.add(j.substring(1, j.length() - 1));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String u = java.net.URLEncoder.encode(secret, java.nio.charset.StandardCharsets.UTF_8);
        forms.add(u);
        forms.add(u.replace("+", "%20"));
        forms.add(secret.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"));
        List<String> where = new ArrayList<>();
        for (Message m : messages) {
            for (String f : forms) {
                if (m.payload().contains(f)) {
                    where.add("payload of " + m.ts());
                    break;
                }
            }
            if (displayed(m).contains(secret)) where.add("text of " + m.ts());
        }
        return where;
    }

    // ---- reading it as people do ----------------------------------------------------------------------------------

    /**
     * What Slack reads as control sequences in a message's mrkdwn ({@code <…>}): links ({@code <url|label>}),
     * mentions ({@code <@U…>}, {@code <!channel>}, {@code <#C…>}). Plain-text objects are not parsed.
     */
    public static List<String> controlSequences(Message m) {
        List<String> out = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        texts.add(m.text());
        for (JsonNode t : textObjects(m.blocks())) if ("mrkdwn".equals(t.path("type").asText())) texts.add(t.path("text").asText(""));
        for (String t : texts) {
            Matcher c = CONTROL.matcher(t);
            while (c.find()) out.add(c.group(1));
        }
        return out;
    }

    /** The text of a message as people see it: entities decoded, links as "label ‹url›". */
    public static String displayed(Message m) {
        StringBuilder b = new StringBuilder();
        for (JsonNode t : textObjects(m.blocks())) b.append(display(t.path("text").asText(""), t.path("type").asText())).append('\n');
        if (b.isEmpty()) b.append(display(m.text(), "mrkdwn"));
        return b.toString();
    }

    static String display(String text, String type) {
        if (!"mrkdwn".equals(type)) return text;
        Matcher c = CONTROL.matcher(text);
        StringBuilder b = new StringBuilder();
        while (c.find()) {
            String inner = c.group(1);
            int bar = inner.indexOf('|');
            String shown;
            if (inner.startsWith("!") || inner.startsWith("@") || inner.startsWith("#")) {
                shown = "[MENTION " + inner + "]";
            } else if (bar >= 0) {
                shown = inner.substring(bar + 1) + " ‹" + inner.substring(0, bar) + "›";
            } else {
                shown = "‹" + inner + "›";
            }
            c.appendReplacement(b, Matcher.quoteReplacement(shown));
        }
        c.appendTail(b);
        return b.toString().replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    /** The channel as text, each thread under its first message. */
    public synchronized String render(String channel) {
        String id = channelId(channel);
        StringBuilder b = new StringBuilder("#" + channels.getOrDefault(id, channel) + "\n");
        for (Message m : messages) {
            if (!m.channel().equals(id) || m.isReply()) continue;
            renderMessage(b, m, "");
            for (Message r : messages) {
                if (m.ts().equals(r.threadTs())) renderMessage(b, r, "    ");
            }
        }
        return b.toString();
    }

    private static void renderMessage(StringBuilder b, Message m, String indent) {
        String mark = indent.isEmpty() ? "● " : "↳ ";
        b.append(indent).append(mark).append("[").append(m.ts()).append(m.replyBroadcast() ? ", also sent to the channel" : "")
                .append("]\n");
        String pad = indent + "  ";
        if (m.blocks() == null || m.blocks().isEmpty()) {
            b.append(pad).append(display(m.text(), "mrkdwn")).append('\n');
            return;
        }
        for (JsonNode block : m.blocks()) {
            switch (block.path("type").asText()) {
                case "header" -> b.append(pad).append(block.path("text").path("text").asText()).append('\n');
                case "section" -> {
                    if (block.has("text")) line(b, pad, display(block.path("text").path("text").asText(), "mrkdwn"));
                    List<String> fields = new ArrayList<>();
                    for (JsonNode f : block.path("fields")) {
                        fields.add(display(f.path("text").asText(), f.path("type").asText()).replace("\n", ": ").replace("*", ""));
                    }
                    if (!fields.isEmpty()) line(b, pad, String.join("  |  ", fields));
                }
                case "context" -> {
                    for (JsonNode e : block.path("elements")) line(b, pad, display(e.path("text").asText(), e.path("type").asText()));
                }
                case "divider" -> b.append(pad).append("────\n");
                default -> b.append(pad).append("(").append(block.path("type").asText()).append(")\n");
            }
        }
    }

    private static void line(StringBuilder b, String pad, String text) {
        for (String l : text.split("\n", -1)) b.append(pad).append(l).append('\n');
    }
}
