package dev.gantry.smoketest.soak;

import dev.gantry.checks.RenderedRequest;

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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The soak's lean HTTP/1.1 client: one thread, one selector, up to {@code maxInFlight} keep-alive connections,
 * one request per connection at a time (no pipelining), requests serialised once. The schedule lives in the
 * same loop, so there is no hand-off between threads per request. Plain {@code http://} on one origin only;
 * {@link HttpClientEngine} covers the rest.
 *
 * <p>Why not java.net.http here: on this 2-core machine a {@code sendAsync} loop topped out near 8,000 req/s
 * against nginx (research §4.1) — each request costs several thread hand-offs and allocations in the client's
 * executor and selector manager thread. This loop pays one write and one read syscall per request.
 */
final class NioEngine implements SoakEngine {
    private static final long TIMEOUT_SCAN_NANOS = 10_000_000L;

    private static final class Conn {
        SocketChannel ch;
        SelectionKey key;
        final ResponseParser parser = new ResponseParser();
        boolean connected;
        boolean busy;
        boolean started;
        boolean idle;
        int target;
        long intended;
        long sendNanos;
        boolean measured;
        ByteBuffer out;
        IOException connectError;
        long slot;
        int uses;
        boolean retry;
    }

    private SoakPlan plan;
    private SoakRecorder rec;
    private Selector selector;
    private InetSocketAddress address;
    private ByteBuffer[] requests;
    private boolean[] head;
    private int[] cycle;
    private final ArrayDeque<Conn> idle = new ArrayDeque<>();
    /** Slots to send again: their reused keep-alive connection turned out closed before any byte came back. */
    private final ArrayDeque<Long> retries = new ArrayDeque<>();
    private long start;
    private long measureStart;
    private final List<Conn> all = new ArrayList<>();
    private int open;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);

    static boolean supports(List<SoakPlan.Target> targets) {
        URI first = targets.get(0).request().uri();
        for (SoakPlan.Target t : targets) {
            URI u = t.request().uri();
            if (!"http".equalsIgnoreCase(u.getScheme()) || !RenderedRequest.sameOrigin(u, first)) return false;
        }
        return true;
    }

    @Override
    public String name() {
        return "nio-http1";
    }

    @Override
    public Timing run(SoakPlan plan, SoakRecorder rec, Progress progress) throws IOException {
        this.plan = plan;
        this.rec = rec;
        URI base = plan.targets().get(0).request().uri();
        address = new InetSocketAddress(InetAddress.getByName(base.getHost()), RenderedRequest.port(base));
        requests = new ByteBuffer[plan.targets().size()];
        head = new boolean[plan.targets().size()];
        for (int i = 0; i < requests.length; i++) {
            RenderedRequest r = plan.targets().get(i).request();
            requests[i] = serialise(r);
            head[i] = r.method().equals("HEAD");
        }
        cycle = plan.cycle();
        long timeoutNanos = plan.requestTimeout().toNanos();
        selector = Selector.open();
        try {
            start = System.nanoTime() + 1_000_000L;
            measureStart = start + plan.warmup().toNanos();
            long end = measureStart + plan.duration().toNanos();
            Timing timing = new Timing(start, measureStart, end);
            long total = plan.totalSlots();
            long due = 0;
            long next = 0;
            long lastScan = start;
            while (true) {
                long now = System.nanoTime();
                if (now >= end) break;
                while (due < total) {
                    long intended = start + plan.offsetNanos(due);
                    if (intended > now) break;
                    if (intended >= measureStart) rec.lag(now - intended);
                    due++;
                }
                while (!retries.isEmpty() || next < due) {
                    Conn c = acquire();
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
                long waitNanos = wake - System.nanoTime();
                int ready = waitNanos <= 0 ? selector.selectNow() : selector.select(Math.max(1, waitNanos / 1_000_000L));
                if (ready > 0) handleSelected();
            }
            // drain: what was sent gets up to the request timeout to answer
            long drainEnd = System.nanoTime() + timeoutNanos;
            while (busyCount() > 0 || !retries.isEmpty()) {
                long now = System.nanoTime();
                if (now >= drainEnd) break;
                while (!retries.isEmpty()) {
                    Conn c = acquire();
                    if (c == null) break;
                    assign(c, retries.poll(), true);
                }
                scanTimeouts(now, timeoutNanos);
                int ready = selector.select(Math.max(1, Math.min(10, (drainEnd - now) / 1_000_000L)));
                if (ready > 0) handleSelected();
            }
            long now = System.nanoTime();
            for (Long slot : retries) {
                long intended = start + plan.offsetNanos(slot);
                rec.failure(cycle[(int) (slot % cycle.length)], intended >= measureStart, intended, intended, now,
                        "connection closed before a response");
            }
            for (Conn c : new ArrayList<>(all)) {
                if (c.busy && c.started) fail(c, now, "no response before the soak ended");
                else if (c.busy) c.busy = false;
            }
            return timing;
        } finally {
            for (Conn c : new ArrayList<>(all)) closeQuietly(c);
            selector.close();
        }
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
        Set<String> skip = Set.of("host", "connection", "content-length", "transfer-encoding");
        r.headers().forEach((k, v) -> {
            if (!skip.contains(k.toLowerCase(Locale.ROOT))) b.append(k).append(": ").append(v).append("\r\n");
        });
        byte[] body = r.body() == null ? new byte[0] : r.body();
        if (body.length > 0) b.append("Content-Length: ").append(body.length).append("\r\n");
        b.append("\r\n");
        byte[] h = b.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocateDirect(h.length + body.length);
        buf.put(h).put(body).flip();
        return buf.asReadOnlyBuffer();
    }

    private Conn acquire() throws IOException {
        while (!idle.isEmpty()) {
            Conn c = idle.pop();
            c.idle = false;
            if (c.ch.isOpen()) return c;
        }
        if (open >= plan.maxInFlight()) return null;
        Conn c = new Conn();
        c.ch = SocketChannel.open();
        c.ch.configureBlocking(false);
        c.ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        open++;
        all.add(c);
        try {
            c.connected = c.ch.connect(address);
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
        c.parser.reset(head[c.target]);
        c.out = requests[c.target].duplicate();
        if (c.connectError != null) {
            c.sendNanos = System.nanoTime();
            if (!retry) rec.sent(c.measured, c.sendNanos);
            c.started = true;
            fail(c, c.sendNanos, describe(c.connectError));
            return;
        }
        if (c.connected) {
            write(c);
        } else {
            // connecting: the request counts as sent now, so a connect that hangs times out like a request
            c.sendNanos = System.nanoTime();
            c.started = true;
            if (!retry) rec.sent(c.measured, c.sendNanos);
        }
    }

    private void write(Conn c) {
        if (!c.started) {
            c.sendNanos = System.nanoTime();
            c.started = true;
            if (!c.retry) rec.sent(c.measured, c.sendNanos);
        }
        try {
            c.ch.write(c.out);
            if (c.out.hasRemaining()) c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            else if ((c.key.interestOps() & SelectionKey.OP_WRITE) != 0) c.key.interestOps(SelectionKey.OP_READ);
        } catch (IOException e) {
            if (!retryOnStale(c)) fail(c, System.nanoTime(), describe(e));
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
                    if (c.busy) write(c);
                    continue;
                }
                if (k.isWritable() && c.busy) write(c);
                if (k.isValid() && k.isReadable()) read(c);
            } catch (IOException e) {
                if (c.busy) {
                    if (!c.started) {
                        c.sendNanos = System.nanoTime();
                        c.started = true;
                        if (!c.retry) rec.sent(c.measured, c.sendNanos);
                    }
                    if (!retryOnStale(c)) fail(c, System.nanoTime(), describe(e));
                } else {
                    closeQuietly(c);
                }
            }
        }
    }

    private void read(Conn c) throws IOException {
        readBuffer.clear();
        int n = c.ch.read(readBuffer);
        if (n < 0) {
            if (c.busy && c.started && c.parser.endOfStream()) {
                complete(c, System.nanoTime());
            } else if (c.busy && c.started) {
                if (retryOnStale(c)) return;
                fail(c, System.nanoTime(), c.parser.idle() ? "connection closed before a response" : "connection closed mid-response");
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
            c.parser.feed(readBuffer.array(), 0, n);
        } catch (ResponseParser.BadResponse e) {
            fail(c, System.nanoTime(), "bad response: " + e.getMessage());
            return;
        }
        if (c.parser.state() == ResponseParser.State.DONE) complete(c, System.nanoTime());
    }

    /**
     * A keep-alive connection the server had already closed (its idle timeout raced our reuse): nothing came
     * back, so the GET never reached the application. Send it again once on another connection, keeping its
     * intended time, as browsers and HTTP clients do; a fresh connection that fails is an error.
     */
    private boolean retryOnStale(Conn c) {
        if (c.retry || c.uses == 0 || !c.parser.idle()) return false;
        retries.add(c.slot);
        c.busy = false;
        closeQuietly(c);
        return true;
    }

    private void complete(Conn c, long done) {
        c.uses++;
        int status = c.parser.status();
        rec.response(c.target, c.measured, c.intended, c.sendNanos, done, status,
                plan.targets().get(c.target).expected().accepts(status));
        c.busy = false;
        if (c.parser.close() || !c.ch.isOpen()) {
            closeQuietly(c);
        } else {
            c.idle = true;
            idle.push(c);
        }
    }

    private void fail(Conn c, long done, String reason) {
        rec.failure(c.target, c.measured, c.intended, c.sendNanos, done, reason);
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
            idle.remove(c);
            c.idle = false;
        }
        if (c.key != null) c.key.cancel();
        try {
            c.ch.close();
        } catch (IOException ignored) {
            // closing a socket we are done with
        }
    }

    static String describe(IOException e) {
        String m = e.getMessage();
        if (e instanceof java.net.ConnectException) return "connection refused";
        if (m == null) return e.getClass().getSimpleName();
        String l = m.toLowerCase(Locale.ROOT);
        if (l.contains("reset")) return "connection reset";
        if (l.contains("refused")) return "connection refused";
        if (l.contains("broken pipe")) return "connection closed";
        return m;
    }
}
