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
    private boolean bodyCut;

    void reset(boolean headRequest) {
        reset(headRequest, false);
    }

    void reset(boolean headRequest, boolean keep) {
        this.headRequest = headRequest;
        this.keep = keep;
        this.headers = Map.of();
        this.body = keep ? new ByteArrayOutputStream() : null;
        this.bodyCut = false;
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

    /** Whether the kept body is cut short: the answer held more than {@link #MAX_KEPT_BODY} bytes. */
    boolean bodyTruncated() {
        return bodyCut;
    }

    private void keepBody(byte[] b, int pos, int n) {
        if (body == null || n <= 0) return;
        int room = Math.max(0, MAX_KEPT_BODY - body.size());
        if (n > room) bodyCut = true;
        body.write(b, pos, Math.min(n, room));
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

    /** Where the line starting at {@code from} ends (its CR or LF). */
    private static int lineEnd(byte[] b, int from, int end) {
        int k = from;
        while (k < end && b[k] != '\r' && b[k] != '\n') k++;
        return k;
    }

    /** Where the next line starts after a line ending at {@code lineEnd}. */
    private static int next(byte[] b, int lineEnd, int end) {
        int k = lineEnd;
        if (k < end && b[k] == '\r') k++;
        if (k < end && b[k] == '\n') k++;
        return k;
    }

    private static boolean startsWith(byte[] b, int from, String ascii) {
        for (int k = 0; k < ascii.length(); k++) if (b[from + k] != ascii.charAt(k)) return false;
        return true;
    }

    /** Header name {@code b[from, to)} (maybe with trailing blanks) equals lower-case {@code name}, ignoring case. */
    private static boolean nameIs(byte[] b, int from, int to, String name) {
        while (to > from && (b[to - 1] == ' ' || b[to - 1] == '\t')) to--;
        if (to - from != name.length()) return false;
        for (int k = 0; k < name.length(); k++) {
            int c = b[from + k];
            if (c >= 'A' && c <= 'Z') c += 32;
            if (c != name.charAt(k)) return false;
        }
        return true;
    }

    /** Whether {@code b[from, to)} holds lower-case {@code word}, ignoring case. */
    private static boolean contains(byte[] b, int from, int to, String word) {
        outer:
        for (int k = from; k + word.length() <= to; k++) {
            for (int m = 0; m < word.length(); m++) {
                int c = b[k + m];
                if (c >= 'A' && c <= 'Z') c += 32;
                if (c != word.charAt(m)) continue outer;
            }
            return true;
        }
        return false;
    }

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
        // bytes, not Strings: this runs once per soak response (tens of thousands a second)
        byte[] h = head;
        int end = headLen;
        int lineEnd = lineEnd(h, 0, end);
        if (lineEnd < 12 || !startsWith(h, 0, "HTTP/1.")) throw new BadResponse("not an HTTP/1.x status line");
        boolean http10 = h[7] == '0';
        int code = 0;
        for (int k = 9; k < 12; k++) {
            if (h[k] < '0' || h[k] > '9') throw new BadResponse("bad status line");
            code = code * 10 + (h[k] - '0');
        }
        status = code;
        long length = -1;
        boolean chunked = false;
        boolean keepAlive = false;
        Map<String, List<String>> kept = keep ? new LinkedHashMap<>() : null;
        int pos = next(h, lineEnd, end);
        while (pos < end) {
            int le = lineEnd(h, pos, end);
            int colon = -1;
            for (int k = pos; k < le; k++) {
                if (h[k] == ':') {
                    colon = k;
                    break;
                }
            }
            if (colon > pos) {
                int vs = colon + 1;
                int ve = le;
                while (vs < ve && (h[vs] == ' ' || h[vs] == '\t')) vs++;
                while (ve > vs && (h[ve - 1] == ' ' || h[ve - 1] == '\t')) ve--;
                if (kept != null) {
                    kept.computeIfAbsent(new String(h, pos, colon - pos, StandardCharsets.ISO_8859_1).trim().toLowerCase(Locale.ROOT),
                            k -> new ArrayList<>()).add(new String(h, vs, ve - vs, StandardCharsets.ISO_8859_1));
                }
                if (nameIs(h, pos, colon, "content-length")) {
                    if (vs == ve) throw new BadResponse("bad Content-Length");
                    long v = 0;
                    for (int k = vs; k < ve; k++) {
                        if (h[k] < '0' || h[k] > '9' || v > (1L << 50)) throw new BadResponse("bad Content-Length");
                        v = v * 10 + (h[k] - '0');
                    }
                    length = v;
                } else if (nameIs(h, pos, colon, "transfer-encoding")) {
                    chunked = contains(h, vs, ve, "chunked");
                } else if (nameIs(h, pos, colon, "connection")) {
                    if (contains(h, vs, ve, "close")) close = true;
                    if (contains(h, vs, ve, "keep-alive")) keepAlive = true;
                }
            }
            pos = next(h, le, end);
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
