package dev.gantry.common.http;

import dev.gantry.common.action.Durations;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP exchange over {@code java.net.http} with a deadline on the whole of it (connecting, the headers <em>and
 * the body</em>: the JDK's request timeout stops counting once headers arrive) and a cap on the body kept in
 * memory. A server that sends headers and then stalls, or a body that never ends, costs at most the timeout and
 * the cap; the exchange is cancelled, never left reading.
 */
public final class Transport {
    /** Bodies up to this size are kept by default (API answers are kilobytes). */
    public static final long DEFAULT_MAX_BODY = 16L * 1024 * 1024;

    private final HttpClient client;

    public Transport(HttpClient client) {
        this.client = client;
    }

    public HttpClient client() {
        return client;
    }

    /** An answer: status, headers, the body (at most the cap), and whether more was sent than was kept. */
    public record Answer(int status, HttpHeaders headers, byte[] body, boolean truncated) {
    }

    /**
     * Sends {@code request} and reads the whole answer within {@code timeout}, keeping at most {@code maxBody}
     * bytes of the body (the rest is not read: the exchange is cancelled and {@code truncated} is set).
     *
     * @throws HttpTimeoutException when the whole answer did not arrive in time
     * @throws IOException          on a connection failure
     */
    public Answer exchange(HttpRequest request, Duration timeout, long maxBody) throws IOException, InterruptedException {
        return exchange(request, timeout, maxBody, false);
    }

    /**
     * As {@link #exchange(HttpRequest, Duration, long)}, but reads the whole body (within {@code timeout}) and keeps
     * its <em>last</em> {@code maxBody} bytes: for logs, whose end says what failed.
     */
    public Answer exchangeTail(HttpRequest request, Duration timeout, long maxBody) throws IOException, InterruptedException {
        return exchange(request, timeout, maxBody, true);
    }

    private Answer exchange(HttpRequest request, Duration timeout, long maxBody, boolean tail)
            throws IOException, InterruptedException {
        if (timeout.isZero() || timeout.isNegative()) {
            throw new HttpTimeoutException("no time left to send " + request.method() + " " + request.uri().getPath());
        }
        CompletableFuture<HttpResponse<Capped>> f = client.sendAsync(request, info -> new CappedSubscriber(maxBody, tail));
        HttpResponse<Capped> r;
        try {
            r = f.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new HttpTimeoutException("timed out: no complete answer within " + Durations.human(timeout));
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) throw io;
            if (c instanceof UnresolvedAddressException u) throw new ConnectException("unresolved address: " + u);
            throw new IOException(c == null ? e.toString() : c.toString(), c);
        }
        Capped body = r.body();
        return new Answer(r.statusCode(), r.headers(), body.bytes(), body.truncated());
    }

    /** Whether {@code failure} (from {@link #exchange}) means the request never reached the server. */
    public static boolean neverSent(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException
                    || t instanceof UnresolvedAddressException) {
                return true;
            }
            if (t.getCause() == t) break;
        }
        return false;
    }

    /** A body read up to a cap: the bytes kept, and whether the server sent more (the rest was not read). */
    public record Capped(byte[] bytes, boolean truncated) {
    }

    /**
     * A body handler that keeps at most {@code maxBody} bytes and cancels the rest, for callers that need the whole
     * {@link HttpResponse} (its version, TLS session or final URI) rather than an {@link Answer}. The caller bounds
     * the wait (as {@link #exchange} does).
     */
    public static HttpResponse.BodyHandler<Capped> capped(long maxBody) {
        return info -> new CappedSubscriber(maxBody, false);
    }

    /**
     * Collects at most {@code max} bytes: the first ones, cancelling the rest of the body, or ({@code tail}) the last
     * ones, reading it all.
     */
    static final class CappedSubscriber implements HttpResponse.BodySubscriber<Capped> {
        private final long max;
        private final boolean tail;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private final CompletableFuture<Capped> result = new CompletableFuture<>();
        private Flow.Subscription subscription;
        private byte[] ring;
        private long seen;

        CappedSubscriber(long max, boolean tail) {
            this.max = max;
            this.tail = tail;
            if (tail) ring = new byte[(int) Math.min(Integer.MAX_VALUE - 8, max)];
        }

        @Override
        public CompletionStage<Capped> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) return;
            if (tail) {
                for (ByteBuffer b : items) {
                    while (b.hasRemaining()) {
                        int pos = (int) (seen % ring.length);
                        int n = Math.min(b.remaining(), ring.length - pos);
                        b.get(ring, pos, n);
                        seen += n;
                    }
                }
                return;
            }
            for (ByteBuffer b : items) {
                int room = (int) Math.min(Integer.MAX_VALUE, max - buf.size());
                int n = Math.min(room, b.remaining());
                byte[] chunk = new byte[n];
                b.get(chunk);
                buf.write(chunk, 0, n);
                if (b.hasRemaining()) {
                    result.complete(new Capped(buf.toByteArray(), true));
                    subscription.cancel();
                    return;
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            if (!tail) {
                result.complete(new Capped(buf.toByteArray(), false));
            } else if (seen <= ring.length) {
                result.complete(new Capped(java.util.Arrays.copyOf(ring, (int) seen), false));
            } else {
                int pos = (int) (seen % ring.length);
                byte[] out = new byte[ring.length];
                System.arraycopy(ring, pos, out, 0, ring.length - pos);
                System.arraycopy(ring, 0, out, ring.length - pos, pos);
                result.complete(new Capped(out, true));
            }
        }
    }
}
