package dev.gantry.actiontests.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.common.testing.FakeTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulator refuses what Slack refuses, so a test that passes through it has met Slack's rules. */
class SlackSimulatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SlackSimulator slack = new SlackSimulator();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        slack.close();
    }

    private HttpResponse<String> post(URI uri, String token, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode api(ObjectNode message) throws IOException, InterruptedException {
        HttpResponse<String> r = post(URI.create(slack.apiUrl() + "/chat.postMessage"), SlackSimulator.TOKEN,
                message.toString());
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static ObjectNode message(int sections, int textLength) {
        ObjectNode m = JSON.createObjectNode();
        m.put("channel", SlackSimulator.CHANNEL_ID);
        m.put("text", "fallback");
        ArrayNode blocks = m.putArray("blocks");
        for (int i = 0; i < sections; i++) {
            ObjectNode s = blocks.addObject();
            s.put("type", "section");
            s.putObject("text").put("type", "mrkdwn").put("text", "x".repeat(textLength));
        }
        return m;
    }

    @Test
    void aValidMessageIsStoredAndAnsweredAsTheWebApiDoes() throws Exception {
        JsonNode r = api(message(2, 10));
        assertThat(r.path("ok").asBoolean()).isTrue();
        assertThat(r.path("channel").asText()).isEqualTo(SlackSimulator.CHANNEL_ID);
        assertThat(r.path("ts").asText()).matches("\\d+\\.\\d{6}");
        assertThat(slack.messages()).hasSize(1);
    }

    @Test
    void blockKitLimitsAreEnforced() throws Exception {
        assertThat(api(message(51, 10)).path("errors").toString()).contains("no more than 50 items allowed");
        JsonNode tooLong = api(message(1, 3001));
        assertThat(tooLong.path("ok").asBoolean()).isFalse();
        assertThat(tooLong.path("error").asText()).isEqualTo("invalid_blocks");
        assertThat(tooLong.path("errors").toString()).contains("must be less than 3001 characters [json-pointer:/blocks/0/text/text]");
        // each block within its limit, the whole too long
        assertThat(api(message(5, 2900)).path("error").asText()).isEqualTo("msg_blocks_too_long");

        ObjectNode header = message(0, 0);
        ((ArrayNode) header.get("blocks")).addObject().put("type", "header").putObject("text")
                .put("type", "mrkdwn").put("text", "h".repeat(151));
        assertThat(api(header).path("errors").toString()).contains("must be plain_text").contains("less than 151");

        ObjectNode fields = message(0, 0);
        ArrayNode fs = ((ArrayNode) fields.get("blocks")).addObject().put("type", "section").putArray("fields");
        for (int i = 0; i < 11; i++) fs.addObject().put("type", "mrkdwn").put("text", "f");
        assertThat(api(fields).path("errors").toString()).contains("must have 1 to 10 items");

        ObjectNode unknown = message(0, 0);
        ((ArrayNode) unknown.get("blocks")).addObject().put("type", "table");
        assertThat(api(unknown).path("errors").toString()).contains("must be a valid enum value");

        ObjectNode verbatimOnPlain = message(1, 5);
        ((ObjectNode) verbatimOnPlain.get("blocks").get(0).get("text")).put("type", "plain_text").put("verbatim", true);
        assertThat(api(verbatimOnPlain).path("errors").toString()).contains("verbatim is for mrkdwn");

        ObjectNode empty = JSON.createObjectNode().put("channel", SlackSimulator.CHANNEL_ID);
        assertThat(api(empty).path("error").asText()).isEqualTo("no_text");
        assertThat(slack.messages()).isEmpty();
    }

    @Test
    void tokensChannelsAndThreadsAreChecked() throws Exception {
        HttpResponse<String> noToken = post(URI.create(slack.apiUrl() + "/chat.postMessage"), null, message(1, 5).toString());
        assertThat(JSON.readTree(noToken.body()).path("error").asText()).isEqualTo("not_authed");
        HttpResponse<String> wrong = post(URI.create(slack.apiUrl() + "/chat.postMessage"), "xoxb-nope", message(1, 5).toString());
        assertThat(wrong.statusCode()).as("the Web API refuses with HTTP 200").isEqualTo(200);
        assertThat(JSON.readTree(wrong.body()).path("error").asText()).isEqualTo("invalid_auth");

        assertThat(api(message(1, 5).put("channel", "#nope")).path("error").asText()).isEqualTo("channel_not_found");
        assertThat(api(message(1, 5).put("channel", "#deploys")).path("ok").asBoolean()).as("a #name").isTrue();
        String parent = slack.messages().get(0).ts();
        assertThat(api(message(1, 5).put("thread_ts", "1.000001")).path("error").asText()).isEqualTo("thread_not_found");
        String reply = api(message(1, 5).put("thread_ts", parent)).path("ts").asText();
        assertThat(api(message(1, 5).put("thread_ts", reply)).path("error").asText())
                .as("a reply's ts is no thread").isEqualTo("thread_not_found");
        assertThat(slack.replies(parent)).hasSize(1);

        slack.revokeToken();
        assertThat(api(message(1, 5)).path("error").asText()).isEqualTo("token_revoked");
    }

    @Test
    void rateLimitsAnswer429WithRetryAfterAndPunishAnEarlyRetry() throws Exception {
        FakeTime clock = new FakeTime();
        slack.clock(clock).rateLimit(1, 5);
        HttpResponse<String> first = post(URI.create(slack.apiUrl() + "/chat.postMessage"), SlackSimulator.TOKEN,
                message(1, 5).toString());
        assertThat(first.statusCode()).isEqualTo(429);
        assertThat(first.headers().firstValue("retry-after")).hasValue("5");
        clock.sleep(Duration.ofSeconds(2));
        HttpResponse<String> early = post(URI.create(slack.apiUrl() + "/chat.postMessage"), SlackSimulator.TOKEN,
                message(1, 5).toString());
        assertThat(early.statusCode()).isEqualTo(429);
        assertThat(slack.earlyRetries()).isEqualTo(1);
        clock.sleep(Duration.ofSeconds(3));
        assertThat(api(message(1, 5)).path("ok").asBoolean()).isTrue();
    }

    @Test
    void webhooksAnswerAsSlackDocumentsIt() throws Exception {
        String ok = message(1, 5).without("channel").toString();
        assertThat(post(slack.webhookUrl(), null, ok).body()).isEqualTo("ok");
        assertThat(slack.messages()).singleElement().extracting(SlackSimulator.Message::via).isEqualTo("webhook");
        HttpResponse<String> unknown = post(URI.create(slack.baseUrl() + "/services/T0/B0/nope"), null, ok);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("no_service");
        HttpResponse<String> notJson = post(slack.webhookUrl(), null, "text=hi");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).isEqualTo("invalid_payload");
        slack.revokeWebhook();
        HttpResponse<String> revoked = post(slack.webhookUrl(), null, ok);
        assertThat(revoked.statusCode()).isEqualTo(403);
        assertThat(revoked.body()).isEqualTo("invalid_token");
    }

    @Test
    void renderingShowsWhatSlackWouldParse() {
        SlackSimulator.Message m = new SlackSimulator.Message(SlackSimulator.CHANNEL_ID, "1.000001", null, "t",
                JSON.createArrayNode().add(JSON.createObjectNode().put("type", "section").set("text",
                        JSON.createObjectNode().put("type", "mrkdwn").put("text",
                                "&lt;!channel&gt; <!here> <https://x.example|x> a &amp; b"))), false, "api", "");
        assertThat(SlackSimulator.controlSequences(m)).containsExactly("!here", "https://x.example|x");
        assertThat(SlackSimulator.displayed(m)).contains("<!channel> [MENTION !here] x ‹https://x.example› a & b");
    }
}
