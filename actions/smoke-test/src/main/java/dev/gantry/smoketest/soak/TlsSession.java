package dev.gantry.smoketest.soak;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * TLS for one of the soak's non-blocking connections: the JDK's {@link SSLEngine} (JSSE, the same TLS stack as
 * java.net.http and every other JDK client), driven from the soak's single loop so that https costs no thread
 * hand-off per request. Client mode, the server's certificate checked against the host name (as browsers do;
 * SNI sent for host names), ALPN offering only {@code http/1.1}. Handshake tasks (certificate checks, key
 * exchange) run on the loop thread: they happen once per connection, mostly during the warm-up.
 *
 * <p>Buffers: {@code netIn} holds bytes read from the socket and not yet decrypted (kept in fill mode);
 * {@code netOut} encrypted bytes not yet written (kept in drain mode); {@code appIn} decrypted bytes for the
 * caller, who drains it with {@link #app()} and clears it.
 */
final class TlsSession {
    enum Step { DONE, WANT_READ, WANT_WRITE }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    private ByteBuffer netIn;
    private ByteBuffer netOut;
    private ByteBuffer appIn;
    private boolean closed;

    TlsSession(SSLContext context, String host, int port) {
        engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        SSLParameters p = engine.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        p.setApplicationProtocols(new String[]{"http/1.1"});
        engine.setSSLParameters(p);
        try {
            engine.beginHandshake(); // else the engine says NOT_HANDSHAKING until the first wrap
        } catch (SSLException e) {
            throw new IllegalStateException("cannot start a TLS handshake: " + e.getMessage(), e);
        }
        int packet = engine.getSession().getPacketBufferSize();
        netIn = ByteBuffer.allocate(packet);
        netOut = ByteBuffer.allocate(packet).flip();
        appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    }

    /** Advances the handshake as far as it goes without blocking. */
    Step handshake(SocketChannel ch) throws IOException {
        if (!flush(ch)) return Step.WANT_WRITE;
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NOT_HANDSHAKING, FINISHED -> {
                    if (engine.isOutboundDone() || engine.isInboundDone()) {
                        // a failed handshake (its alert sent) ends here too: say so, never carry on as if done
                        wrap(EMPTY);
                        throw new SSLException("the TLS handshake did not complete");
                    }
                    return Step.DONE;
                }
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> {
                    SSLEngineResult r = wrap(EMPTY);
                    if (!flush(ch)) return Step.WANT_WRITE;
                    if (r.getStatus() == SSLEngineResult.Status.CLOSED) throw new SSLException("the TLS handshake was closed");
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    SSLEngineResult r = unwrap();
                    if (r.getStatus() == SSLEngineResult.Status.CLOSED) throw new SSLException("the server closed TLS during the handshake");
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                        int n = ch.read(netIn);
                        if (n < 0) throw new EOFException("connection closed during the TLS handshake");
                        if (n == 0) return Step.WANT_READ;
                    }
                }
            }
        }
    }

    /** Encrypts and writes what is left of {@code app}; false when the socket would block (call again on OP_WRITE). */
    boolean send(SocketChannel ch, ByteBuffer app) throws IOException {
        while (true) {
            if (!flush(ch)) return false;
            if (!app.hasRemaining()) return true;
            SSLEngineResult r = wrap(app);
            if (r.getStatus() == SSLEngineResult.Status.CLOSED || (r.bytesConsumed() == 0 && r.bytesProduced() == 0)) {
                throw new SSLException("TLS is closed on this connection");
            }
        }
    }

    /** Whether encrypted bytes are waiting to be written. */
    boolean pendingWrite() {
        return netOut.hasRemaining();
    }

    /**
     * Reads what the socket has and decrypts it into {@link #app()}. Returns the bytes now in {@code app()}, or -1
     * when the connection ended (TCP close or the server's close_notify) with nothing left to deliver.
     */
    int read(SocketChannel ch) throws IOException {
        int n = closed ? -1 : ch.read(netIn);
        boolean eof = n < 0;
        while (!closed && netIn.position() > 0) {
            SSLEngineResult r = unwrap();
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                closed = true;
                break;
            }
            if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) runTasks();
            if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                wrap(EMPTY); // a post-handshake message (key update) asks for an answer
                flush(ch);
            }
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW || (r.bytesConsumed() == 0 && r.bytesProduced() == 0)) break;
        }
        if (appIn.position() > 0) return appIn.position();
        return eof || closed ? -1 : 0;
    }

    /** The server ended TLS (close_notify): the connection takes no further request. */
    boolean closed() {
        return closed || engine.isInboundDone() || engine.isOutboundDone();
    }

    /** Decrypted bytes in fill mode: the caller reads {@code [0, position)} and then clears it. */
    ByteBuffer app() {
        return appIn;
    }

    /** Sends close_notify if the socket takes it at once; never blocks. */
    void close(SocketChannel ch) {
        try {
            engine.closeOutbound();
            wrap(EMPTY);
            flush(ch);
        } catch (IOException | RuntimeException ignored) {
            // closing anyway
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) task.run();
    }

    private boolean flush(SocketChannel ch) throws IOException {
        while (netOut.hasRemaining()) {
            if (ch.write(netOut) == 0) return false;
        }
        return true;
    }

    private SSLEngineResult wrap(ByteBuffer src) throws SSLException {
        netOut.compact();
        try {
            while (true) {
                SSLEngineResult r = engine.wrap(src, netOut);
                if (r.getStatus() != SSLEngineResult.Status.BUFFER_OVERFLOW) return r;
                netOut = grow(netOut, engine.getSession().getPacketBufferSize());
            }
        } finally {
            netOut.flip();
        }
    }

    private SSLEngineResult unwrap() throws SSLException {
        netIn.flip();
        try {
            while (true) {
                SSLEngineResult r = engine.unwrap(netIn, appIn);
                switch (r.getStatus()) {
                    case BUFFER_OVERFLOW -> appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
                    case BUFFER_UNDERFLOW -> {
                        if (netIn.limit() == netIn.capacity()) {
                            // a record larger than the buffer: make room, then read more
                            ByteBuffer bigger = ByteBuffer.allocate(netIn.capacity() + engine.getSession().getPacketBufferSize());
                            bigger.put(netIn);
                            netIn = bigger.flip();
                        }
                        return r;
                    }
                    default -> {
                        return r;
                    }
                }
            }
        } finally {
            netIn.compact();
        }
    }

    /** A buffer in fill mode with room for {@code more} bytes beyond what {@code b} (fill mode) holds. */
    private static ByteBuffer grow(ByteBuffer b, int more) {
        ByteBuffer bigger = ByteBuffer.allocate(b.position() + Math.max(more, b.capacity()));
        b.flip();
        bigger.put(b);
        return bigger;
    }
}
