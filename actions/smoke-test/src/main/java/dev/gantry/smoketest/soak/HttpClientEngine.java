package dev.gantry.smoketest.soak;

import dev.gantry.checks.RenderedRequest;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The soak over {@code java.net.http} for what {@link NioEngine} does not speak: {@code https://} and targets on
 * several origins. Same schedule and bookkeeping; the scheduler thread parks until the next slot or until a
 * response frees a permit. Tops out well below the NIO engine (see its notes), which the self-check reports.
 */
final class HttpClientEngine implements SoakEngine {
    private static final Set<String> RESTRICTED = Set.of("host", "connection", "content-length", "expect", "upgrade");

    private record InFlight(int target, boolean measured, long intended, long sent) {
    }

    @Override
    public String name() {
        return "java.net.http";
    }

    @Override
    public Timing run(SoakPlan plan, SoakRecorder rec, Progress progress) {
        Duration connect = plan.requestTimeout().compareTo(Duration.ofSeconds(10)) < 0 ? plan.requestTimeout() : Duration.ofSeconds(10);
        HttpClient client = HttpClient.newBuilder().connectTimeout(connect)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        try {
            HttpRequest[] requests = new HttpRequest[plan.targets().size()];
            for (int i = 0; i < requests.length; i++) requests[i] = build(plan.targets().get(i).request(), plan.requestTimeout());
            int[] cycle = plan.cycle();
            Thread scheduler = Thread.currentThread();
            AtomicInteger inFlight = new AtomicInteger();
            Map<Long, InFlight> pending = new ConcurrentHashMap<>();

            long start = System.nanoTime() + 1_000_000L;
            long measureStart = start + plan.warmup().toNanos();
            long end = measureStart + plan.duration().toNanos();
            Timing timing = new Timing(start, measureStart, end);
            long total = plan.totalSlots();
            long due = 0;
            long next = 0;
            while (true) {
                long now = System.nanoTime();
                if (now >= end) break;
                while (due < total) {
                    long intended = start + plan.offsetNanos(due);
                    if (intended > now) break;
                    if (intended >= measureStart) rec.lag(now - intended);
                    due++;
                }
                while (next < due && inFlight.get() < plan.maxInFlight()) {
                    long slot = next++;
                    int t = cycle[(int) (slot % cycle.length)];
                    long intended = start + plan.offsetNanos(slot);
                    long sent = System.nanoTime();
                    InFlight f = new InFlight(t, intended >= measureStart, intended, sent);
                    pending.put(slot, f);
                    inFlight.incrementAndGet();
                    rec.sent(f.measured(), sent);
                    client.sendAsync(requests[t], HttpResponse.BodyHandlers.discarding()).whenComplete((r, ex) -> {
                        long done = System.nanoTime();
                        if (pending.remove(slot) != null) {
                            if (ex == null) {
                                rec.response(t, f.measured(), f.intended(), f.sent(), done, r.statusCode(),
                                        plan.targets().get(t).expected().accepts(r.statusCode()));
                            } else {
                                rec.failure(t, f.measured(), f.intended(), f.sent(), done, describe(ex));
                            }
                        }
                        inFlight.decrementAndGet();
                        LockSupport.unpark(scheduler);
                    });
                }
                progress.tick(now, timing);
                long wake = due < total ? Math.min(start + plan.offsetNanos(due), end) : end;
                long park = wake - System.nanoTime();
                if (park > 0) LockSupport.parkNanos(park);
            }
            long drainEnd = System.nanoTime() + plan.requestTimeout().toNanos();
            while (!pending.isEmpty() && System.nanoTime() < drainEnd) LockSupport.parkNanos(5_000_000L);
            long now = System.nanoTime();
            for (Long slot : pending.keySet()) {
                InFlight f = pending.remove(slot);
                if (f != null) rec.failure(f.target(), f.measured(), f.intended(), f.sent(), now, "no response before the soak ended");
            }
            return timing;
        } finally {
            client.shutdownNow();
        }
    }

    private static HttpRequest build(RenderedRequest r, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(r.uri()).timeout(timeout)
                .method(r.method(), r.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(r.body()));
        r.headers().forEach((k, v) -> {
            if (!RESTRICTED.contains(k.toLowerCase(Locale.ROOT))) b.header(k, v);
        });
        return b.build();
    }

    private static String describe(Throwable ex) {
        Throwable c = ex instanceof CompletionException && ex.getCause() != null ? ex.getCause() : ex;
        if (c instanceof HttpTimeoutException) return "timeout";
        if (c instanceof java.net.ConnectException) return "connection refused";
        return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
    }
}
