package dev.gantry.checks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.gantry.common.http.HttpApi;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What a check's request got back. Header names are lower case. */
public final class Response {

    private final int status;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final long durationMillis;
    private JsonNode json;
    private String jsonError;

    public Response(int status, Map<String, List<String>> headers, byte[] body, long durationMillis) {
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.durationMillis = durationMillis;
    }

    public Response withDuration(long millis) {
        return new Response(status, headers, body, millis);
    }

    public int status() {
        return status;
    }

    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The first value of a header, or null. */
    public String header(String name) {
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    public List<String> headerValues(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public long durationMillis() {
        return durationMillis;
    }

    /** The body as JSON, or a missing node when it is not JSON (see {@link #jsonError()}). */
    public JsonNode json() {
        if (json == null) {
            try {
                json = body.length == 0 ? MissingNode.getInstance() : HttpApi.JSON.readTree(body);
                if (json == null) json = MissingNode.getInstance();
                if (body.length == 0) jsonError = "the body is empty";
            } catch (Exception e) {
                json = MissingNode.getInstance();
                jsonError = "the body is not JSON";
            }
        }
        return json;
    }

    /** Why {@link #json()} is missing, or null. */
    public String jsonError() {
        json();
        return jsonError;
    }
}
