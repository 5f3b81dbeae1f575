package dev.gantry.checks;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * A check's request. {@code target} is a path appended to the base URL ({@code /api/health}) or an absolute URL;
 * every text may hold {@code {{templates}}}. Headers and query parameters keep their order and may repeat. At most
 * one {@link Body}. {@code basicAuth} (user and password, templates allowed) becomes an {@code Authorization}
 * header sent only to the request's own origin; so do {@code cookies}.
 */
public record RequestSpec(String method, String target, List<NameValue> headers, List<NameValue> query, Body body,
                          NameValue basicAuth, List<NameValue> cookies) {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    public RequestSpec {
        headers = List.copyOf(headers);
        query = List.copyOf(query);
        cookies = List.copyOf(cookies);
    }

    public static RequestSpec get(String target) {
        return new RequestSpec("GET", target, List.of(), List.of(), null, null, List.of());
    }

    /** GET, HEAD and OPTIONS: the only methods the soak repeats. */
    public boolean isSafe() {
        return SAFE.contains(method);
    }

    public record NameValue(String name, String value) {
    }

    /** What a request sends. */
    public sealed interface Body {
    }

    /** A JSON value from YAML (maps, lists, scalars); a string that is exactly one template keeps the value's type. */
    public record Json(Object value) implements Body {
    }

    /** JSON text from a Hurl file: a template outside quotes is the value as JSON, inside quotes its text escaped. */
    public record JsonText(String text) implements Body {
    }

    /** {@code application/x-www-form-urlencoded} fields. */
    public record Form(List<NameValue> fields) implements Body {
    }

    /** Text (templates filled in); {@code contentType} is sent unless the check sets one (null: none). */
    public record Text(String text, String contentType) implements Body {
    }

    /** Bytes as they are (base64 or hex in the file). */
    public record Bytes(byte[] data) implements Body {
    }

    /** A file's bytes, read when the request is sent. {@code display} is the name the checks file gave. */
    public record FileBody(Path path, String display) implements Body {
    }

    /** {@code multipart/form-data}: fields and files. */
    public record Multipart(List<Part> parts) implements Body {
    }

    public sealed interface Part {
        String name();
    }

    public record Field(String name, String value) implements Part {
    }

    /** A file part; {@code contentType} null means from the file name (Hurl's table), else application/octet-stream. */
    public record FilePart(String name, Path path, String filename, String contentType) implements Part {
    }
}
