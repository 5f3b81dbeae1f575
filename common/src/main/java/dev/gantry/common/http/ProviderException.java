package dev.gantry.common.http;

import dev.gantry.common.action.ActionException;
import dev.gantry.common.action.ExitCode;

import java.time.Instant;

/**
 * A provider API call that failed for good (after retries, or at once for a non-retryable answer). It carries
 * what the provider said (HTTP status, its error code and message, its request id), so that every message a
 * user reads can be quoted to the provider's support, and what the retry executor needs: when the provider allows
 * the next attempt, whether it was a rate limit, and whether the request certainly never reached the server. A 401
 * is a configuration error (exit 2: the token input); everything else is exit 3.
 */
public final class ProviderException extends ActionException {
    private final String provider;
    private final int status;
    private final String errorCode;
    private final String providerMessage;
    private final String requestId;
    private final String operation;
    private final Instant retryAt;
    private final boolean rateLimited;
    private final boolean neverSent;

    public ProviderException(String provider, int status, String errorCode, String providerMessage, String requestId,
                             String operation, Throwable cause) {
        this(provider, status, errorCode, providerMessage, requestId, operation, cause, null, status == 429, false);
    }

    public ProviderException(String provider, int status, String errorCode, String providerMessage, String requestId,
                             String operation, Throwable cause, Instant retryAt, boolean rateLimited, boolean neverSent) {
        super(status == 401 ? ExitCode.BAD_INPUT : ExitCode.PROVIDER_ERROR,
                describe(provider, status, errorCode, providerMessage, requestId, operation), cause);
        this.provider = provider;
        this.status = status;
        this.errorCode = errorCode;
        this.providerMessage = providerMessage;
        this.requestId = requestId;
        this.operation = operation;
        this.retryAt = retryAt;
        this.rateLimited = rateLimited;
        this.neverSent = neverSent;
    }

    /** The same failure with {@code note} added to the provider's message (e.g. why retrying stopped). */
    public ProviderException withNote(String note) {
        String m = providerMessage == null || providerMessage.isBlank() ? note : providerMessage.strip() + "; " + note;
        return new ProviderException(provider, status, errorCode, m, requestId, operation, this, retryAt, rateLimited,
                neverSent);
    }

    static String describe(String provider, int status, String errorCode, String message, String requestId,
                           String operation) {
        StringBuilder b = new StringBuilder(provider);
        if (status > 0) {
            b.append(" API error: HTTP ").append(status);
        } else {
            b.append(" API unreachable");
        }
        if (errorCode != null && !errorCode.isBlank()) b.append(' ').append(errorCode);
        if (message != null && !message.isBlank()) b.append(": ").append(message.strip());
        if (operation != null) b.append(" (").append(operation).append(')');
        if (requestId != null && !requestId.isBlank()) b.append(" [request id ").append(requestId).append(']');
        if (status == 401) b.append(". Check that the token input holds a valid, unexpired token.");
        return b.toString();
    }

    public String provider() {
        return provider;
    }

    /** The HTTP status, or 0 when no answer came (connection failure, timeout). */
    public int status() {
        return status;
    }

    public String errorCode() {
        return errorCode;
    }

    public String providerMessage() {
        return providerMessage;
    }

    public String requestId() {
        return requestId;
    }

    /** {@code METHOD /path} of the failed call. */
    public String operation() {
        return operation;
    }

    /** When the provider said the next attempt may come ({@code Retry-After}, a rate-limit reset), or null. */
    public Instant retryAt() {
        return retryAt;
    }

    /** A rate limit (429, or a 403 that is one): the provider did not process the request. */
    public boolean rateLimited() {
        return rateLimited;
    }

    /** The request certainly never reached the server (connection refused, connect timeout, unknown host). */
    public boolean neverSent() {
        return neverSent;
    }

    public boolean isNotFound() {
        return status == 404;
    }

    /** No answer, rate limited, or a server-side error that may pass: the call may or may not have happened. */
    public boolean isTransient() {
        return status == 0 || rateLimited || status == 500 || status == 502 || status == 503 || status == 504;
    }
}
