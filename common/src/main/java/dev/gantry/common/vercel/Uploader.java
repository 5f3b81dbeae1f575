package dev.gantry.common.vercel;

import dev.gantry.common.action.Log;
import dev.gantry.common.http.ErrorBodies;
import dev.gantry.common.http.HttpApi;
import dev.gantry.common.http.ProviderException;
import dev.gantry.common.http.RateLimits;
import dev.gantry.common.http.Transport;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code POST /v2/files}: each blob once, with {@code x-now-digest}, {@code x-vercel-digest} and
 * {@code x-now-size}, as many at once as the {@link UploadLimit} allows: a fixed number, or adaptive (the CLI starts up
 * to 50 at once; research §2.4).
 * Network errors, 5xx and 429 are retried by the API's {@link dev.gantry.common.http.RetryExecutor} (backoff,
 * {@code Retry-After}, the step's deadline); any other non-200 answer fails the whole upload at once and stops the
 * uploads not yet started.
 */
public final class Uploader {
    /** Something to upload: a digest, a size and where the bytes are (a file, or bytes such as a link text). */
    public record Upload(String sha, long size, Path file, byte[] bytes, String label) {
        public static Upload of(FileHasher.Blob blob) {
            SourceFile f = blob.first();
            return f.isSymlink()
                    ? new Upload(blob.sha(), blob.size(), null, f.linkTarget().getBytes(StandardCharsets.UTF_8), f.name())
                    : new Upload(blob.sha(), blob.size(), f.path(), null, f.name());
        }

        HttpRequest.BodyPublisher body() throws FileNotFoundException {
            return file != null ? HttpRequest.BodyPublishers.ofFile(file) : HttpRequest.BodyPublishers.ofByteArray(bytes);
        }
    }

    /** What an upload run did; {@code peakConcurrency} the most uploads that ran at once. */
    public record Result(int files, long bytes, int retries, int peakConcurrency) {
    }

    private final HttpApi http;
    private final String teamId;
    private final UploadLimit limit;
    private final Log log;

    /** {@code concurrency} uploads at once, or adaptive ({@link UploadLimit}) when it is 0. */
    public Uploader(HttpApi http, String teamId, int concurrency) {
        this.http = http;
        this.teamId = teamId;
        this.limit = concurrency <= 0 ? UploadLimit.adaptive() : UploadLimit.fixed(concurrency);
        this.log = http.log();
    }

    /** "adaptively (...)" or "N at a time", for the log. */
    public String describeConcurrency() {
        return limit.toString();
    }

    public Result upload(List<Upload> uploads) {
        if (uploads.isEmpty()) return new Result(0, 0, 0, 0);
        long totalBytes = uploads.stream().mapToLong(Upload::size).sum();
        AtomicBoolean abort = new AtomicBoolean();
        AtomicInteger done = new AtomicInteger();
        AtomicLong doneBytes = new AtomicLong();
        AtomicInteger retries = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        ProviderException failure = null;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Upload u : uploads) {
                futures.add(pool.submit(() -> {
                    limit.acquire();
                    try {
                        if (abort.get()) return null;
                        uploadOne(u, retries, abort);
                        done.incrementAndGet();
                        doneBytes.addAndGet(u.size());
                    } catch (RuntimeException e) {
                        abort.set(true);
                        throw e;
                    } finally {
                        limit.release();
                    }
                    return null;
                }));
            }
            Instant lastLine = Instant.now();
            for (Future<?> f : futures) {
                while (true) {
                    try {
                        f.get(500, TimeUnit.MILLISECONDS);
                        break;
                    } catch (TimeoutException t) {
                        if (Duration.between(lastLine, Instant.now()).toSeconds() >= 2) {
                            lastLine = Instant.now();
                            progress(done.get(), uploads.size(), doneBytes.get(), totalBytes);
                        }
                    } catch (ExecutionException e) {
                        if (failure == null) {
                            failure = e.getCause() instanceof ProviderException pe ? pe
                                    : new ProviderException("Vercel", 0, null, "upload failed: " + e.getCause(),
                                    null, "POST /v2/files", e.getCause());
                        }
                        break;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        abort.set(true);
                        throw new IllegalStateException("interrupted while uploading", e);
                    }
                }
            }
        }
        if (failure != null) throw failure;
        progress(done.get(), uploads.size(), doneBytes.get(), totalBytes);
        return new Result(done.get(), doneBytes.get(), retries.get(), limit.peak());
    }

    private void progress(int done, int total, long bytes, long totalBytes) {
        if (log != null) {
            log.info(String.format("uploaded %d of %d files (%s of %s)", done, total, human(bytes), human(totalBytes)));
        }
    }

    private void uploadOne(Upload u, AtomicInteger retries, AtomicBoolean abort) {
        String query = teamId == null || teamId.isEmpty() ? "" : "?teamId=" + URLEncoder.encode(teamId, StandardCharsets.UTF_8);
        URI uri = URI.create(http.baseUrl() + "/v2/files" + query);
        AtomicInteger attempts = new AtomicInteger();
        // POST /v2/files is keyed by the content's digest: sending the same blob twice is harmless, so it is idempotent
        http.executor().call("POST /v2/files (" + u.label() + ")", true, () -> {
            if (abort.get()) throw new ProviderException("Vercel", 0, null, "upload stopped: another upload failed",
                    null, "POST /v2/files", null);
            if (attempts.getAndIncrement() > 0) retries.incrementAndGet();
            Duration timeout = http.deadline().capRequest(timeoutFor(u.size()));
            Instant sent = http.time().now();
            Transport.Answer a;
            try {
                HttpRequest.Builder rb = HttpRequest.newBuilder(uri)
                        .timeout(timeout)
                        .header("Content-Type", "application/octet-stream")
                        .header("x-now-digest", u.sha())
                        .header("x-vercel-digest", u.sha())
                        .header("x-now-size", Long.toString(u.size()))
                        .header("User-Agent", http.userAgent())
                        .POST(u.body());
                if (http.token() != null && !http.token().isEmpty()) rb.header("Authorization", "Bearer " + http.token());
                a = http.transport().exchange(rb.build(), timeout, ErrorBodies.MAX_BODY);
            } catch (FileNotFoundException e) {
                throw new ProviderException("Vercel", 0, null, "file vanished before upload: " + u.label(), null,
                        "POST /v2/files", e);
            } catch (IOException e) {
                throw new ProviderException("Vercel", 0, null, "upload of " + u.label() + " failed: " + e, null,
                        "POST /v2/files", e, null, false, Transport.neverSent(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            if (a.status() == 200) {
                limit.answered(u.size(), Duration.between(sent, http.time().now()));
                return null;
            }
            if (a.status() == 429 || a.status() >= 500) limit.throttled();
            String text = new String(a.body(), StandardCharsets.UTF_8);
            ErrorBodies err = ErrorBodies.parse(text);
            String requestId = a.headers().firstValue("x-vercel-id").orElse(null);
            Instant retryAt = RateLimits.retryAt(a.status(), new HashMap<>(a.headers().map()), http.time().now()).orElse(null);
            throw new ProviderException("Vercel", a.status(), err.code(),
                    err.message() == null ? "upload of " + u.label() + " rejected" : err.message() + " (" + u.label() + ")",
                    requestId, "POST /v2/files", null, retryAt, a.status() == 429, false);
        });
    }

    /** The request timeout, stretched for big bodies: at least 256 KiB/s must be possible. */
    Duration timeoutFor(long size) {
        Duration bySize = Duration.ofSeconds(30 + size / (256 * 1024));
        return bySize.compareTo(http.requestTimeout()) > 0 ? bySize : http.requestTimeout();
    }

    public static String human(long bytes) {
        if (bytes < 1024) return bytes + " B";
        if (bytes < 1024 * 1024) return String.format("%.1f KiB", bytes / 1024.0);
        if (bytes < 1024L * 1024 * 1024) return String.format("%.1f MiB", bytes / (1024.0 * 1024));
        return String.format("%.2f GiB", bytes / (1024.0 * 1024 * 1024));
    }
}
