package dev.gantry.smoketest.soak;

import dev.gantry.checks.RenderedRequest;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The soak's HTTP/1.1 client: one thread, one selector, up to {@code maxInFlight} keep-alive connections (over
 * TLS for {@code https://}, see {@link TlsSession}), one request per connection at a time (no pipelining),
 * requests serialised once. The schedule lives in the same loop, so there is no hand-off between threads per
 * request. Targets may sit on several origins; each has its own idle connections, and max-in-flight bounds them
 * all together.
 *
 * <p>Why not java.net.http: on this 2-core machine a {@code sendAsync} loop topped out near 4,400-8,000 req/s
 * against nginx, at 370-400 ms of CPU per 1,000 requests — each request costs several thread hand-offs in the
 * client's executor and selector thread — and its internal queue showed up as the app's latency. This loop pays
 * one write and one read per request (bench/README.md).
 *
 * <p>What the generator may have added to a request's latency is kept out of its <em>floor</em>: from the moment
 * the loop noticed the request was due to the moment it had the answer, less every moment in between that the
 * loop spent working (it may have been slow to free a connection or to read the answer) and that the
 * {@link StallMeter} saw the machine withhold. Its schedule lag (noticing late) is left out entirely. What
 * remains is time the app took: its answers, and the queue behind its slow answers (coordinated omission).
 * Latency <em>as sent</em> runs from the moment the loop noticed the request was due: it leaves out only the
 * schedule lag, which is the generator's alone and measured exactly, and keeps everything else.
 */
final class NioEngine implements SoakEngine {
    private static final long TIMEOUT_SCAN_NANOS = 10_000_000L;
    private static final Set<String> SKIPPED_HEADERS = Set.of("host", "connection", "content-length", "transfer-encoding");

    /**
     * One scheme + host + port (and, for https, one TLS context: targets whose checks trust differently or present
     * different client certificates never share a connection), with its idle connections.
     */
    private static final class Origin {
        final String host;
        final int port;
        final boolean tls;
        SSLContext context;
        InetSocketAddress address;
        final ArrayDeque<Conn> idle = new ArrayDeque<>();

        Origin(String host, int port, boolean tls, SSLContext context) {
            this.host = host;
            this.port = port;
            this.tls = tls;
            this.context = context;
        }
    }

    private static final class Conn {
        Origin origin;
        SocketChannel ch;
        SelectionKey key;
        TlsSession tls;
        boolean handshaking;
        final ResponseParser parser = new ResponseParser();
        boolean connected;
        boolean busy;
        boolean started;
        boolean idle;
        int target;
        long intended;
        long sendNanos;
        long noticedAt;
        long stallAtNotice;
        long busyAtNotice;
        boolean measured;
        ByteBuffer out;
        IOException connectError;
        long slot;
        int uses;
        boolean retry;
    }

    private final LongSupplier clock;
    private SoakPlan plan;
    private SoakRecorder rec;
    private StallMeter meter;
    private Selector selector;
    private Origin[] originOf;
    private final List<Origin> origins = new ArrayList<>();
    private ByteBuffer[] requests;
    private boolean[] head;
    private boolean[] keep;
    /** Per target, whether each status 0-599 is an error by its rule (looked up per answer, so worked out once). */
    private boolean[][] isError;
    private int[] cycle;
    /** Slots to send again: their reused keep-alive connection turned out closed before any byte came back. */
    private final ArrayDeque<Long> retries = new ArrayDeque<>();
    /**
     * Per loop turn that found slots due: {first slot not yet due, when the loop saw them, the stall meter's reading
     * then, the loop's busy time then}: when each slot was noticed, and the generator's clocks at that moment.
     */
    private final ArrayDeque<long[]> noticed = new ArrayDeque<>();
    private long start;
    private long measureStart;
    private final List<Conn> all = new ArrayList<>();
    private int open;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
    /** When the last select returned, and the loop's working time (outside select) before it. */
    private long selectReturn;
    private long busyNanos;

    NioEngine(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "nio-http1";
    }

    @Override
    public Timing run(SoakPlan plan, SoakRecorder rec, Progress progress, StallMeter meter) throws IOException {
        this.plan = plan;
        this.rec = rec;
        this.meter = meter;
        int n = plan.targets().size();
        requests = new ByteBuffer[n];
        head = new boolean[n];
        keep = new boolean[n];
        isError = new boolean[n][600];
        originOf = new Origin[n];
        Map<String, Origin> byKey = new HashMap<>();
        List<SSLContext> contexts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SoakPlan.Target t = plan.targets().get(i);
            RenderedRequest r = t.request();
            URI u = r.uri();
            boolean tls = "https".equalsIgnoreCase(u.getScheme());
            if (!tls && !"http".equalsIgnoreCase(u.getScheme())) throw new IOException("the soak speaks http and https, not " + u.getScheme());
            SSLContext context = !tls ? null : t.tls() != null ? t.tls() : plan.tls();
            String key = (tls ? "https://" : "http://") + u.getHost().toLowerCase(Locale.ROOT) + ":" + RenderedRequest.port(u)
                    + (context == null ? "" : "|tls" + contextIndex(contexts, context));
            originOf[i] = byKey.computeIfAbsent(key, k -> {
                Origin o = new Origin(u.getHost(), RenderedRequest.port(u), tls, context);
                origins.add(o);
                return o;
            });
            requests[i] = serialise(r);
            head[i] = r.method().equals("HEAD");
            keep[i] = t.onAnswer() != null;
            for (int code = 100; code < 600; code++) isError[i][code] = t.errors().isError(code);
        }
        for (Origin o : origins) {
            o.address = new InetSocketAddress(InetAddress.getByName(o.host), o.port);
            if (o.tls && o.context == null) o.context = defaultContext();
        }
        cycle = plan.cycle();
        long timeoutNanos = plan.requestTimeout().toNanos();
        selector = Selector.open();
        warmUp();
        try {
            start = clock.getAsLong() + 1_000_000L;
            measureStart = start + plan.warmup().toNanos();
            long end = measureStart + plan.duration().toNanos();
            long total = plan.totalSlots();
            long due = 0;
            long next = 0;
            long lastScan = start;
            Timing timing = new Timing(start, measureStart, end, 0, false);
            selectReturn = clock.getAsLong();
            while (true) {
                long now = clock.getAsLong();
                if (now >= end) break;
                long dueBefore = due;
                while (due < total) {
                    long intended = start + plan.offsetNanos(due);
                    if (intended > now) break;
                    if (intended >= measureStart) rec.lag(now - intended);
                    due++;
                }
                if (due > dueBefore) noticed.add(new long[]{due, now, meter.stalled(now), busyAt(now)});
                while (!retries.isEmpty() || next < due) {
                    long slot = !retries.isEmpty() ? retries.peek() : next;
                    Conn c = acquire(originOf[cycle[(int) (slot % cycle.length)]]);
                    if (c == null) break;
                    if (!retries.isEmpty()) assign(c, retries.poll(), true);
                    else assign(c, next++, false);
                }
                if (now - lastScan > TIMEOUT_SCAN_NANOS) {
                    scanTimeouts(now, timeoutNanos);
                    lastScan = now;
                }
                progress.tick(now, timing);
                long wake = due < total ? Math.min(start + plan.offsetNanos(due), end) : end;
                long selectCall = clock.getAsLong();
                busyNanos += selectCall - selectReturn;
                long waitNanos = wake - selectCall;
                int ready = waitNanos <= 0 ? selector.selectNow() : selector.select(Math.max(1, waitNanos / 1_000_000L));
                selectReturn = clock.getAsLong();
                if (ready > 0) handleSelected();
            }
            long busy = busyAt(clock.getAsLong());
            long measuredEnd = clock.getAsLong();
            // drain: what was sent gets up to the request timeout to answer
            long drainEnd = measuredEnd + timeoutNanos;
            while (busyCount() > 0 || !retries.isEmpty()) {
                long now = clock.getAsLong();
                if (now >= drainEnd) break;
                while (!retries.isEmpty()) {
                    long slot = retries.peek();
                    Conn c = acquire(originOf[cycle[(int) (slot % cycle.length)]]);
                    if (c == null) break;
                    assign(c, retries.poll(), true);
                }
                scanTimeouts(now, timeoutNanos);
                busyNanos += clock.getAsLong() - selectReturn;
                int ready = selector.select(Math.max(1, Math.min(10, (drainEnd - now) / 1_000_000L)));
                selectReturn = clock.getAsLong();
                if (ready > 0) handleSelected();
            }
            boolean drained = busyCount() == 0 && retries.isEmpty();
            long now = clock.getAsLong();
            for (Long slot : retries) {
                long intended = start + plan.offsetNanos(slot);
                rec.failure(cycle[(int) (slot % cycle.length)], intended >= measureStart, intended, intended, now,
                        now - intended, now - intended, "connection closed before a response");
            }
            for (Conn c : new ArrayList<>(all)) {
                if (c.busy && c.started) fail(c, now, "no response before the soak ended");
                else if (c.busy) c.busy = false;
            }
            return new Timing(start, measureStart, end, busy, drained);
        } finally {
            for (Conn c : new ArrayList<>(all)) closeQuietly(c);
            selector.close();
        }
    }

    /** The loop's working time up to {@code now}. */
    private long busyAt(long now) {
        return busyNanos + Math.max(0, now - selectReturn);
    }

    /**
     * Loads and links what every request goes through before the schedule starts, so that the first measured
     * requests do not wait for class loading (on a busy runner that took tens of milliseconds).
     */
    private void warmUp() throws IOException {
        SoakRecorder scratch = new SoakRecorder(1);
        long now = clock.getAsLong();
        scratch.lag(1);
        scratch.sent(true, 1);
        scratch.response(0, true, now, now, now, 0, 0, 200, plan.targets().get(0).errors().isError(200));
        scratch.failure(0, true, now, now, now, 0, 0, "warm-up");
        scratch.takeWindow();
        meter.stalled(now);
        new ResponseParser().reset(false, true);
        selector.selectNow();
    }

    private static SSLContext defaultContext() throws IOException {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IOException("this Java runtime has no TLS: " + e.getMessage(), e);
        }
    }

    /** The position of {@code c} among the distinct TLS contexts seen so far (by identity), adding it if new. */
    private static int contextIndex(List<SSLContext> seen, SSLContext c) {
        for (int i = 0; i < seen.size(); i++) if (seen.get(i) == c) return i;
        seen.add(c);
        return seen.size() - 1;
    }

    private int busyCount() {
        int n = 0;
        for (Conn c : all) if (c.busy && c.started) n++;
        return n;
    }

    static ByteBuffer serialise(RenderedRequest r) {
        URI u = r.uri();
        String target = (u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath())
                + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
        StringBuilder b = new StringBuilder(256);
        b.append(r.method()).append(' ').append(target).append(" HTTP/1.1\r\n");
        b.append("Host: ").append(u.getHost()).append(u.getPort() >= 0 ? ":" + u.getPort() : "").append("\r\n");
        r.headers().forEach((k, v) -> {
            if (!SKIPPED_HEADERS.contains(k.toLowerCase(Locale.ROOT))) b.append(k).append(": ").append(v).append("\r\n");
        });
        byte[] body = r.body() == null ? new byte[0] : r.body();
        if (body.length > 0 || !Set.of("GET", "HEAD", "OPTIONS", "DELETE").contains(r.method())) {
            b.append("Content-Length: ").append(body.length).append("\r\n");
        }
        b.append("\r\n");
        byte[] h = b.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocateDirect(h.length + body.length);
        buf.put(h).put(body).flip();
        return buf.asReadOnlyBuffer();
    }

    /** An idle connection to {@code origin}, a new one, or null when max-in-flight are all busy. */
    private Conn acquire(Origin origin) throws IOException {
        while (!origin.idle.isEmpty()) {
            Conn c = origin.idle.pop();
            c.idle = false;
            if (c.ch.isOpen()) return c;
        }
        if (open >= plan.maxInFlight()) {
            // all taken: an idle connection to another origin makes room
            Conn spare = null;
            for (Origin o : origins) if (o != origin && !o.idle.isEmpty()) spare = o.idle.peekLast();
            if (spare == null) return null;
            closeQuietly(spare);
        }
        Conn c = new Conn();
        c.origin = origin;
        c.ch = SocketChannel.open();
        c.ch.configureBlocking(false);
        c.ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        open++;
        all.add(c);
        if (origin.tls) {
            c.tls = new TlsSession(origin.context, origin.host, origin.port);
            c.handshaking = true;
        }
        try {
            c.connected = c.ch.connect(origin.address);
        } catch (IOException e) {
            c.connected = false;
            c.key = null;
            c.connectError = e;
            return c;
        }
        c.key = c.ch.register(selector, c.connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, c);
        return c;
    }

    private void assign(Conn c, long slot, boolean retry) {
        c.slot = slot;
        c.retry = retry;
        c.target = cycle[(int) (slot % cycle.length)];
        c.intended = start + plan.offsetNanos(slot);
        c.measured = c.intended >= measureStart;
        c.busy = true;
        c.started = false;
        c.parser.reset(head[c.target], keep[c.target]);
        c.out = requests[c.target].duplicate();
        long[] seen = retry ? null : noticed(slot);
        long now = clock.getAsLong();
        c.noticedAt = seen != null ? seen[1] : now;
        c.stallAtNotice = seen != null ? seen[2] : meter.stalled(now);
        c.busyAtNotice = seen != null ? seen[3] : busyAt(now);
        if (c.connectError != null) {
            markSent(c);
            fail(c, c.sendNanos, describe(c.connectError));
            return;
        }
        if (c.connected && !c.handshaking) {
            write(c);
        } else {
            // connecting (or shaking hands): the request counts as sent now, so a connect that hangs times out like
            // a request, and the set-up is part of its latency, as it would be for a user's browser
            markSent(c);
            if (c.connected) continueHandshake(c);
        }
    }

    private void markSent(Conn c) {
        if (c.started) return;
        long now = clock.getAsLong();
        c.sendNanos = now;
        c.started = true;
        if (!c.retry) rec.sent(c.measured, Math.max(0, now - c.noticedAt));
    }

    /** The loop turn that first saw {@code slot} due, or null; slots are sent in order. */
    private long[] noticed(long slot) {
        while (noticed.size() > 1 && noticed.peek()[0] <= slot) noticed.poll();
        long[] first = noticed.peek();
        return first == null || first[0] <= slot ? null : first;
    }

    private void write(Conn c) {
        markSent(c);
        try {
            boolean done;
            if (c.tls == null) {
                c.ch.write(c.out);
                done = !c.out.hasRemaining();
            } else {
                done = c.tls.send(c.ch, c.out);
            }
            if (!done) c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            else if ((c.key.interestOps() & SelectionKey.OP_WRITE) != 0) c.key.interestOps(SelectionKey.OP_READ);
        } catch (IOException e) {
            if (!retryOnStale(c)) fail(c, clock.getAsLong(), describe(e));
        }
    }

    private void continueHandshake(Conn c) {
        try {
            TlsSession.Step step = c.tls.handshake(c.ch);
            switch (step) {
                case DONE -> {
                    c.handshaking = false;
                    c.key.interestOps(SelectionKey.OP_READ);
                    if (c.busy) write(c);
                }
                case WANT_READ -> c.key.interestOps(SelectionKey.OP_READ);
                case WANT_WRITE -> c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            }
        } catch (IOException e) {
            if (c.busy) fail(c, clock.getAsLong(), describe(e));
            else closeQuietly(c);
        }
    }

    private void handleSelected() {
        Set<SelectionKey> keys = selector.selectedKeys();
        Iterator<SelectionKey> it = keys.iterator();
        while (it.hasNext()) {
            SelectionKey k = it.next();
            it.remove();
            Conn c = (Conn) k.attachment();
            if (!k.isValid()) continue;
            try {
                if (k.isConnectable()) {
                    c.ch.finishConnect();
                    c.connected = true;
                    k.interestOps(SelectionKey.OP_READ);
                    if (c.handshaking) continueHandshake(c);
                    else if (c.busy) write(c);
                    continue;
                }
                if (c.handshaking) {
                    continueHandshake(c);
                    continue;
                }
                if (k.isWritable() && c.busy) write(c);
                if (k.isValid() && k.isReadable()) read(c);
            } catch (IOException e) {
                if (c.busy) {
                    markSent(c);
                    if (!retryOnStale(c)) fail(c, clock.getAsLong(), describe(e));
                } else {
                    closeQuietly(c);
                }
            }
        }
    }

    private void read(Conn c) throws IOException {
        byte[] bytes;
        int n;
        ByteBuffer app = null;
        if (c.tls == null) {
            readBuffer.clear();
            n = c.ch.read(readBuffer);
            bytes = readBuffer.array();
        } else {
            n = c.tls.read(c.ch);
            app = c.tls.app();
            bytes = app.array();
        }
        try {
            if (n < 0) {
                if (c.busy && c.started && c.parser.endOfStream()) {
                    complete(c, clock.getAsLong());
                } else if (c.busy && c.started) {
                    if (retryOnStale(c)) return;
                    fail(c, clock.getAsLong(), c.parser.idle() ? "connection closed before a response" : "connection closed mid-response");
                    return;
                }
                closeQuietly(c);
                return;
            }
            if (n == 0) return;
            if (!c.busy || !c.started) {
                closeQuietly(c); // bytes nobody asked for: the connection is out of step
                return;
            }
            try {
                c.parser.feed(bytes, 0, n);
            } catch (ResponseParser.BadResponse e) {
                fail(c, clock.getAsLong(), "bad response: " + e.getMessage());
                return;
            }
            if (c.parser.state() == ResponseParser.State.DONE) complete(c, clock.getAsLong());
        } finally {
            if (app != null) app.clear();
        }
    }

    /**
     * A keep-alive connection the server had already closed (its idle timeout raced our reuse): nothing came
     * back, so the request never reached the application. A read (GET, HEAD, OPTIONS) is sent again once on
     * another connection, keeping its intended time, as browsers and HTTP clients do; a write is not (it may
     * have been received), and a fresh connection that fails is an error.
     */
    private boolean retryOnStale(Conn c) {
        if (c.retry || c.uses == 0 || !c.parser.idle() || plan.targets().get(c.target).write()) return false;
        retries.add(c.slot);
        c.busy = false;
        closeQuietly(c);
        return true;
    }

    /** The app's share of a request's latency at least: see the class comment. */
    private long floor(Conn c, long done) {
        long generator = (meter.stalled(done) - c.stallAtNotice) + (busyAt(done) - c.busyAtNotice);
        return Math.max(0, Math.min(done - c.intended, done - c.noticedAt - generator));
    }

    private void complete(Conn c, long done) {
        c.uses++;
        int status = c.parser.status();
        SoakPlan.Target t = plan.targets().get(c.target);
        boolean error = status >= 100 && status < 600 ? isError[c.target][status] : t.errors().isError(status);
        rec.response(c.target, c.measured, c.intended, c.sendNanos, done, done - c.noticedAt, floor(c, done), status, error);
        if (keep[c.target]) {
            t.onAnswer().accept(new SoakPlan.Answer(status, c.parser.headers(), c.parser.body(), c.parser.bodyTruncated()));
        }
        c.busy = false;
        if (c.parser.close() || !c.ch.isOpen() || (c.tls != null && c.tls.closed())) {
            closeQuietly(c);
        } else {
            c.idle = true;
            c.origin.idle.push(c);
        }
    }

    private void fail(Conn c, long done, String reason) {
        rec.failure(c.target, c.measured, c.intended, c.sendNanos, done, done - c.noticedAt, floor(c, done), reason);
        c.busy = false;
        closeQuietly(c);
    }

    private void scanTimeouts(long now, long timeoutNanos) {
        for (int i = all.size() - 1; i >= 0; i--) {
            Conn c = all.get(i);
            if (c.busy && c.started && now - c.sendNanos > timeoutNanos) fail(c, now, "timeout");
        }
    }

    private void closeQuietly(Conn c) {
        if (!all.remove(c)) return;
        open--;
        if (c.idle) {
            c.origin.idle.remove(c);
            c.idle = false;
        }
        if (c.key != null) c.key.cancel();
        if (c.tls != null && c.connected && !c.handshaking) c.tls.close(c.ch);
        try {
            c.ch.close();
        } catch (IOException ignored) {
            // closing a socket we are done with
        }
    }

    static String describe(IOException e) {
        if (e instanceof java.net.ConnectException) return "connection refused";
        if (e instanceof SSLHandshakeException) return "TLS handshake failed: " + e.getMessage();
        if (e instanceof SSLException) return "TLS error: " + e.getMessage();
        String m = e.getMessage();
        if (m == null) return e.getClass().getSimpleName();
        String l = m.toLowerCase(Locale.ROOT);
        if (l.contains("reset")) return "connection reset";
        if (l.contains("refused")) return "connection refused";
        if (l.contains("broken pipe")) return "connection closed";
        return m;
    }
}
