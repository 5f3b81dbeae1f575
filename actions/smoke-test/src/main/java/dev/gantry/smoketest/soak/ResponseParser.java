package dev.gantry.smoketest.soak;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An incremental HTTP/1.1 response parser for the soak's client: status, framing ({@code Content-Length},
 * chunked, or until close) and {@code Connection: close}. Bodies are counted, not kept, except when asked to keep
 * the answer (a write whose captures cleanup needs): then the headers and up to 1 MiB of the body are kept.
 */
final class ResponseParser {
    enum State { HEAD, BODY_LENGTH, BODY_UNTIL_CLOSE, CHUNK_SIZE, CHUNK_DATA, CHUNK_CRLF, TRAILERS, DONE }

    static final class BadResponse extends Exception {
        BadResponse(String m) {
            super(m, null, false, false);
        }
    }

    private static final int MAX_HEAD = 32 * 1024;
    static final int MAX_KEPT_BODY = 1 << 20;
    private final byte[] head = new byte[MAX_HEAD];
    private int headLen;
    private State state = State.HEAD;
    private boolean headRequest;
    private int status;
    private boolean close;
    private long remaining;
    private long chunkSize;
    private boolean sawDigit;
    private int lineLen;
    private boolean keep;
    private Map<String, List<String>> headers = Map.of();
    private ByteArrayOutputStream body;

    void reset(boolean headRequest) {
        reset(headRequest, false);
    }

    void reset(boolean headRequest, boolean keep) {
        this.headRequest = headRequest;
        this.keep = keep;
        this.headers = Map.of();
        this.body = keep ? new ByteArrayOutputStream() : null;
        state = State.HEAD;
        headLen = 0;
        status = 0;
        close = false;
        remaining = 0;
    }

    State state() {
        return state;
    }

    int status() {
        return status;
    }

    /** The headers (names lower case), when kept. */
    Map<String, List<String>> headers() {
        return headers;
    }

    /** The body (its first 1 MiB), when kept. */
    byte[] body() {
        return body == null ? new byte[0] : body.toByteArray();
    }

    private void keepBody(byte[] b, int pos, int n) {
        if (body != null && n > 0) body.write(b, pos, Math.min(n, Math.max(0, MAX_KEPT_BODY - body.size())));
    }

    /** Whether the server will close (or expects us to close) the connection after this response. */
    boolean close() {
        return close;
    }

    /** Whether nothing of a response has arrived yet. */
    boolean idle() {
        return state == State.HEAD && headLen == 0;
    }

    /** Consumes bytes from {@code b[pos, limit)}; returns the new position. */
    int feed(byte[] b, int pos, int limit) throws BadResponse {
        while (pos < limit && state != State.DONE) {
            switch (state) {
                case HEAD -> {
                    while (pos < limit) {
                        if (headLen == MAX_HEAD) throw new BadResponse("response head over 32 KiB");
                        byte c = b[pos++];
                        head[headLen++] = c;
                        if (c == '\n' && headLen >= 4 && head[headLen - 2] == '\r' && head[headLen - 3] == '\n') {
                            parseHead();
                            break;
                        }
                        if (c == '\n' && headLen >= 2 && head[headLen - 2] == '\n') {
                            parseHead();
                            break;
                        }
                    }
                }
                case BODY_LENGTH -> {
                    int n = (int) Math.min(remaining, limit - pos);
                    keepBody(b, pos, n);
                    pos += n;
                    remaining -= n;
                    if (remaining == 0) state = State.DONE;
                }
                case BODY_UNTIL_CLOSE -> {
                    keepBody(b, pos, limit - pos);
                    pos = limit;
                }
                case CHUNK_SIZE -> {
                    byte c = b[pos++];
                    if (c == '\n') {
                        if (!sawDigit) throw new BadResponse("bad chunk size line");
                        if (chunkSize == 0) {
                            state = State.TRAILERS;
                            lineLen = 0;
                        } else {
                            remaining = chunkSize;
                            state = State.CHUNK_DATA;
                        }
                    } else if (c == ';' || c == '\r' || c == ' ' || c == '\t') {
                        // extensions and whitespace: skip to the end of the line
                        skipExtension = true;
                    } else if (!skipExtension) {
                        int d = Character.digit(c, 16);
                        if (d < 0) throw new BadResponse("bad chunk size");
                        chunkSize = chunkSize * 16 + d;
                        if (chunkSize > (1L << 40)) throw new BadResponse("chunk too large");
                        sawDigit = true;
                    }
                }
                case CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, limit - pos);
                    keepBody(b, pos, n);
                    pos += n;
                    remaining -= n;
                    if (remaining == 0) state = State.CHUNK_CRLF;
                }
                case CHUNK_CRLF -> {
                    if (b[pos++] == '\n') startChunk();
                }
                case TRAILERS -> {
                    byte c = b[pos++];
                    if (c == '\n') {
                        if (lineLen == 0) state = State.DONE;
                        lineLen = 0;
                    } else if (c != '\r') {
                        lineLen++;
                    }
                }
                case DONE -> {
                }
            }
        }
        return pos;
    }

    private boolean skipExtension;

    private void startChunk() {
        state = State.CHUNK_SIZE;
        chunkSize = 0;
        sawDigit = false;
        skipExtension = false;
    }

    /** The connection closed: completes a body that runs until close. */
    boolean endOfStream() {
        if (state == State.BODY_UNTIL_CLOSE) {
            state = State.DONE;
            return true;
        }
        return state == State.DONE;
    }

    private void parseHead() throws BadResponse {
        String text = new String(head, 0, headLen, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r?\n");
        String first = lines[0];
        if (!first.startsWith("HTTP/1.") || first.length() < 12) throw new BadResponse("not an HTTP/1.x status line");
        boolean http10 = first.startsWith("HTTP/1.0");
        try {
            status = Integer.parseInt(first.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new BadResponse("bad status line");
        }
        long length = -1;
        boolean chunked = false;
        boolean keepAlive = false;
        Map<String, List<String>> kept = keep ? new LinkedHashMap<>() : null;
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i];
            int colon = l.indexOf(':');
            if (colon <= 0) continue;
            if (kept != null) {
                kept.computeIfAbsent(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(l.substring(colon + 1).trim());
            }
            String name = l.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = l.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "content-length" -> {
                    try {
                        length = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new BadResponse("bad Content-Length");
                    }
                }
                case "transfer-encoding" -> chunked = value.contains("chunked");
                case "connection" -> {
                    if (value.contains("close")) close = true;
                    if (value.contains("keep-alive")) keepAlive = true;
                }
                default -> {
                }
            }
        }
        if (http10 && !keepAlive) close = true;
        if (kept != null) headers = kept;
        if (status / 100 == 1) {
            // an interim response (100 Continue): the real one follows
            headLen = 0;
            return;
        }
        if (headRequest || status == 204 || status == 304) {
            state = State.DONE;
        } else if (chunked) {
            startChunk();
        } else if (length >= 0) {
            remaining = length;
            state = length == 0 ? State.DONE : State.BODY_LENGTH;
        } else {
            close = true;
            state = State.BODY_UNTIL_CLOSE;
        }
    }
}
