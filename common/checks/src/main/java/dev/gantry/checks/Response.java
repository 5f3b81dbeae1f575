package dev.gantry.checks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.gantry.common.http.HttpApi;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * What a check's request got back. Header names are lower case. The body was read up to a cap: when the server sent
 * more ({@link #truncated()}), anything that reads the body throws {@link BodyTooLargeException} instead of judging
 * a part of it. A {@code gzip} or {@code deflate} body is decoded for the body queries (up to the same cap);
 * {@code rawbytes} sees it as it came.
 */
public final class Response {
    /** The body was larger than the cap, so no body assertion can be judged: Gantry's limit, not the app failing. */
    public static final class BodyTooLargeException extends RuntimeException {
        public BodyTooLargeException(String message) {
            super(message, null, false, false);
        }
    }

    private final int status;
    private final String version;
    private final Map<String, List<String>> headers;
    private final byte[] raw;
    private final boolean truncated;
    private final long cap;
    private final String url;
    private final List<String> redirects;
    private final X509Certificate certificate;
    private final long durationMillis;
    private byte[] decoded;
    private JsonNode json;
    private String jsonError;

    public Response(int status, String version, Map<String, List<String>> headers, byte[] raw, boolean truncated,
                    long cap, String url, List<String> redirects, X509Certificate certificate, long durationMillis) {
        this.status = status;
        this.version = version;
        this.headers = headers;
        this.raw = raw;
        this.truncated = truncated;
        this.cap = cap;
        this.url = url;
        this.redirects = List.copyOf(redirects);
        this.certificate = certificate;
        this.durationMillis = durationMillis;
    }

    /** A response for tests: HTTP/1.1, no redirects, no certificate. */
    public Response(int status, Map<String, List<String>> headers, byte[] body, long durationMillis) {
        this(status, "1.1", headers, body, false, Long.MAX_VALUE, "http://localhost/", List.of(), null, durationMillis);
    }

    public int status() {
        return status;
    }

    /** {@code 1.1} or {@code 2}. */
    public String version() {
        return version;
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

    public boolean truncated() {
        return truncated;
    }

    /** The URL of the last request (after redirects). */
    public String url() {
        return url;
    }

    /** Where each redirect pointed, in order (empty when none was followed). */
    public List<String> redirects() {
        return redirects;
    }

    /** The server's certificate (https only), or null. */
    public X509Certificate certificate() {
        return certificate;
    }

    public long durationMillis() {
        return durationMillis;
    }

    /** The body as sent, before any content decoding. */
    public byte[] rawBytes() {
        complete();
        return raw;
    }

    /** The body after content decoding ({@code gzip}, {@code deflate}). */
    public byte[] bytes() {
        complete();
        if (decoded == null) decoded = decode();
        return decoded;
    }

    /** The body as text, in the {@code charset} of its {@code Content-Type} (UTF-8 when none is named). */
    public String text() {
        return new String(bytes(), charset());
    }

    /** Up to {@code max} characters of the body as text, for a failure message; never throws. */
    public String preview(int max) {
        byte[] b = raw.length > max * 4L ? java.util.Arrays.copyOf(raw, max * 4) : raw;
        String s = new String(b, charset());
        return s.length() > max ? s.substring(0, max) : s;
    }

    public int rawLength() {
        return raw.length;
    }

    /** The body as JSON, or a missing node when it is not JSON (see {@link #jsonError()}). */
    public JsonNode json() {
        if (json == null) {
            byte[] body = bytes();
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

    private void complete() {
        if (truncated) {
            throw new BodyTooLargeException("the body is larger than the " + (cap / (1024 * 1024)) + " MB Gantry reads"
                    + " (max-body), so it was not judged");
        }
    }

    private Charset charset() {
        String ct = header("content-type");
        if (ct != null) {
            for (String part : ct.split(";")) {
                String p = part.strip();
                if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                    try {
                        return Charset.forName(p.substring(8).replace("\"", "").strip());
                    } catch (IllegalArgumentException ignored) {
                        // an unknown charset reads as UTF-8
                    }
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    private byte[] decode() {
        String enc = header("content-encoding");
        if (enc == null || raw.length == 0) return raw;
        try (InputStream in = switch (enc.strip().toLowerCase(Locale.ROOT)) {
            case "gzip", "x-gzip" -> new GZIPInputStream(new ByteArrayInputStream(raw));
            case "deflate" -> new InflaterInputStream(new ByteArrayInputStream(raw));
            default -> null;
        }) {
            if (in == null) return raw;
            byte[] out = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, cap) + 1);
            if (out.length > cap) {
                throw new BodyTooLargeException("the decoded " + enc + " body is larger than the "
                        + (cap / (1024 * 1024)) + " MB Gantry reads (max-body), so it was not judged");
            }
            return out;
        } catch (IOException e) {
            return raw;
        }
    }
}
