package dev.gantry.common.http;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads a provider's error body into a code and a message. Shapes: DigitalOcean {@code {id, message,
 * request_id}}, Vercel {@code {error: {code, message}}}, GitHub {@code {message, documentation_url, errors}},
 * Slack {@code {ok: false, error}}.
 * Anything else is quoted as text (trimmed).
 */
public record ErrorBodies(String code, String message, String requestId) {
    /** At most this much of an error body is read. */
    public static final int MAX_BODY = 64 * 1024;

    public static ErrorBodies parse(String body) {
        if (body == null || body.isBlank()) return new ErrorBodies(null, null, null);
        try {
            JsonNode n = HttpApi.JSON.readTree(body);
            if (n != null && n.isObject()) {
                JsonNode err = n.path("error");
                if (err.isObject()) {
                    return new ErrorBodies(text(err, "code"), text(err, "message"), text(n, "request_id"));
                }
                if (err.isTextual() && !n.has("message")) {
                    // Slack's Web API ({"ok": false, "error": "ratelimited"}), OAuth ({"error": "invalid_grant"})
                    return new ErrorBodies(err.asText(), text(n, "error_description"), text(n, "request_id"));
                }
                String message = text(n, "message");
                if (n.path("errors").isArray() && !n.path("errors").isEmpty()) {
                    StringBuilder b = new StringBuilder(message == null ? "" : message);
                    for (JsonNode e : n.path("errors")) {
                        b.append(b.isEmpty() ? "" : "; ");
                        b.append(e.isTextual() ? e.asText()
                                : (text(e, "message") != null ? text(e, "message")
                                : (e.path("resource").asText("") + " " + e.path("field").asText("") + " " + e.path("code").asText("")).trim()));
                    }
                    message = b.toString();
                }
                return new ErrorBodies(text(n, "id") != null ? text(n, "id") : text(n, "code"), message,
                        text(n, "request_id"));
            }
        } catch (Exception ignored) {
            // not JSON
        }
        String t = body.strip();
        return new ErrorBodies(null, t.length() > 500 ? t.substring(0, 500) + "…" : t, null);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
