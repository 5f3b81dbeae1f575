package dev.gantry.common.http;

import dev.gantry.common.action.Log;
import feign.MethodMetadata;
import feign.Request;
import feign.RetryableException;
import feign.Retryer;

import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.time.Instant;

/**
 * Feign's retry hook with a budget: attempts and an overall deadline from the first attempt. Honours the
 * provider's retry time, and never resends a POST/PATCH that is not {@link Idempotent} unless the request
 * certainly never reached the server (connection refused or connect timeout).
 */
final class BudgetRetryer implements Retryer {
    private final String provider;
    private final RetryPolicy policy;
    private final Log log;
    private final Instant start;
    private int attempt = 1;

    BudgetRetryer(String provider, RetryPolicy policy, Log log) {
        this.provider = provider;
        this.policy = policy;
        this.log = log;
        this.start = policy.clock().instant();
    }

    @Override
    public void continueOrPropagate(RetryableException e) {
        ProviderException failure = asProviderException(e);
        Request req = e.request();
        if (!mayResend(e, req)) {
            throw failure;
        }
        if (attempt >= policy.maxAttempts()) {
            throw failure;
        }
        Instant now = policy.clock().instant();
        Duration delay = policy.backoff(attempt);
        if (e.retryAfter() != null) {
            Duration server = Duration.ofMillis(e.retryAfter() - now.toEpochMilli());
            if (server.compareTo(delay) > 0) delay = server;
        }
        Instant deadline = start.plus(policy.deadline());
        if (now.plus(delay).isAfter(deadline)) {
            throw new ProviderException(failure.provider(), failure.status(), failure.errorCode(),
                    (failure.providerMessage() == null ? "" : failure.providerMessage() + "; ")
                            + "gave up: the next attempt would be in " + human(delay)
                            + ", past the retry deadline of " + human(policy.deadline()),
                    failure.requestId(), failure.operation(), e);
        }
        attempt++;
        if (log != null) {
            log.info(provider + ": " + (e.status() > 0 ? "HTTP " + e.status() : rootMessage(e))
                    + " on " + failure.operation() + "; retrying in " + human(delay)
                    + " (attempt " + attempt + " of " + policy.maxAttempts() + ")");
        }
        try {
            policy.sleeper().sleep(delay);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw failure;
        }
    }

    private boolean mayResend(RetryableException e, Request req) {
        Request.HttpMethod m = req == null ? e.method() : req.httpMethod();
        if (m == Request.HttpMethod.GET || m == Request.HttpMethod.HEAD || m == Request.HttpMethod.PUT
                || m == Request.HttpMethod.DELETE || m == Request.HttpMethod.OPTIONS) {
            return true;
        }
        if (neverSent(e)) return true;
        MethodMetadata md = req == null || req.requestTemplate() == null ? null : req.requestTemplate().methodMetadata();
        return md != null && md.method() != null && md.method().isAnnotationPresent(Idempotent.class);
    }

    /** Connection refused or a connect timeout: the request never reached the server. */
    private static boolean neverSent(RetryableException e) {
        if (e.status() > 0) return false;
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException
                    || t instanceof UnresolvedAddressException) {
                return true;
            }
        }
        return false;
    }

    private ProviderException asProviderException(RetryableException e) {
        if (e.getCause() instanceof ProviderException pe) return pe;
        String op = e.request() == null ? null : ApiErrorDecoder.operation(e.request());
        return new ProviderException(provider, 0, null, "could not complete the request: " + rootMessage(e),
                null, op, e.getCause());
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : " (" + m + ")");
    }

    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) return ms + "ms";
        if (ms < 60_000) return String.format("%.1fs", ms / 1000.0);
        long s = ms / 1000;
        return (s / 3600 > 0 ? s / 3600 + "h" : "") + ((s % 3600) / 60) + "m" + (s % 60 > 0 ? (s % 60) + "s" : "");
    }

    @Override
    public Retryer clone() {
        return new BudgetRetryer(provider, policy, log);
    }
}
