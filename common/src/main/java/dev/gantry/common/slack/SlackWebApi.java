package dev.gantry.common.slack;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import feign.Headers;
import feign.RequestLine;

import java.util.List;

/**
 * The part of Slack's Web API the notifier uses (paths relative to {@code https://slack.com/api}). Slack answers a
 * refused call with HTTP 200 and {@code {"ok": false, "error": "..."}}; a rate limit with HTTP 429 and
 * {@code Retry-After} (seconds), which the retry executor waits out within the step's deadline.
 */
public interface SlackWebApi {

    /**
     * {@code chat.postMessage} (docs.slack.dev/reference/methods/chat.postMessage): {@code channel}, {@code text}
     * (the notification line), {@code blocks}, and {@code thread_ts} to reply in a thread (with
     * {@code reply_broadcast} to show the reply in the channel too). It posts a message, so it is never resent
     * after a lost answer (only after a 429 or a connection that was never made: then Slack did nothing).
     */
    @RequestLine("POST /chat.postMessage")
    @Headers("Content-Type: application/json; charset=utf-8")
    PostMessageResult postMessage(JsonNode message);

    /**
     * Slack's answer: {@code ok} and, when it is true, the {@code channel} (its ID) and the message's {@code ts};
     * when false, the {@code error} code ({@code invalid_auth}, {@code channel_not_found}, {@code not_in_channel},
     * {@code invalid_blocks} with {@code errors} ...).
     */
    record PostMessageResult(boolean ok, String error, String channel, String ts, List<String> errors,
                             @JsonProperty("response_metadata") JsonNode responseMetadata) {
    }
}
