package dev.gantry.smoketest.soak;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResponseParserTest {

    /** Feeds {@code text} one byte at a time (the worst split), returns the parser. */
    private static ResponseParser feedBytewise(String text, boolean head) throws Exception {
        ResponseParser p = new ResponseParser();
        p.reset(head);
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < b.length; i++) {
            int pos = p.feed(b, i, i + 1);
            if (p.state() == ResponseParser.State.DONE) {
                assertThat(pos).isEqualTo(i + 1);
                assertThat(i).as("done exactly at the end").isEqualTo(b.length - 1);
            }
        }
        return p;
    }

    @Test
    void contentLengthBodies() throws Exception {
        ResponseParser p = feedBytewise("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", false);
        assertThat(p.state()).isEqualTo(ResponseParser.State.DONE);
        assertThat(p.status()).isEqualTo(200);
        assertThat(p.close()).isFalse();
    }

    @Test
    void chunkedBodiesWithExtensionsAndTrailers() throws Exception {
        ResponseParser p = feedBytewise("HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4;ext=1\r\nwiki\r\n5\r\npedia\r\n0\r\nX-Trailer: y\r\n\r\n", false);
        assertThat(p.state()).isEqualTo(ResponseParser.State.DONE);
        assertThat(p.status()).isEqualTo(503);
    }

    @Test
    void noBodyForHeadAnd204AndCloseIsNoticed() throws Exception {
        assertThat(feedBytewise("HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n", true).state()).isEqualTo(ResponseParser.State.DONE);
        assertThat(feedBytewise("HTTP/1.1 204 No Content\r\n\r\n", false).state()).isEqualTo(ResponseParser.State.DONE);
        assertThat(feedBytewise("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", false).close()).isTrue();
        assertThat(feedBytewise("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", false).close()).isTrue();
    }

    @Test
    void aBodyWithoutLengthRunsUntilClose() throws Exception {
        ResponseParser p = feedBytewise("HTTP/1.1 200 OK\r\n\r\nabc", false);
        assertThat(p.state()).isEqualTo(ResponseParser.State.BODY_UNTIL_CLOSE);
        assertThat(p.endOfStream()).isTrue();
        assertThat(p.close()).isTrue();
    }

    @Test
    void garbageIsRejected() {
        ResponseParser p = new ResponseParser();
        p.reset(false);
        byte[] b = "SSH-2.0-OpenSSH\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> p.feed(b, 0, b.length)).isInstanceOf(ResponseParser.BadResponse.class);
    }

    @Test
    void aKeptAnswerHasItsHeadersAndBody() throws Exception {
        ResponseParser p = new ResponseParser();
        p.reset(false, true);
        byte[] b = ("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n7\r\n{\"id\":4\r\n1\r\n}\r\n0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < b.length; i++) p.feed(b, i, i + 1);
        assertThat(p.state()).isEqualTo(ResponseParser.State.DONE);
        assertThat(p.status()).isEqualTo(201);
        assertThat(p.headers()).containsEntry("content-type", java.util.List.of("application/json"))
                .containsEntry("set-cookie", java.util.List.of("a=1", "b=2"));
        assertThat(new String(p.body(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":4}");

        p.reset(false, false);
        p.feed(b, 0, b.length);
        assertThat(p.headers()).as("a read keeps nothing").isEmpty();
        assertThat(p.body()).isEmpty();
    }
}
