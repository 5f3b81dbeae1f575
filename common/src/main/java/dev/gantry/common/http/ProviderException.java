package dev.gantry.common.http;

import dev.gantry.common.action.ActionException;
import dev.gantry.common.action.ExitCode;

/**
 * A provider API call that failed for good (after retries, or at once for a non-retryable answer). It carries
 * what the provider said (HTTP status, its error code and message, its request id), so that every message a
 * user reads can be quoted to the provider's support. A 401 is a configuration error (exit 2: the token input);
 * everything else is exit 3.
 */
public final class ProviderException extends ActionException {
    private final String provider;
    private final int status;
    private final String errorCode;
    private final String providerMessage;
    private final String requestId;
    private final String operation;

    public ProviderException(String provider, int status, String errorCode, String providerMessage, String requestId,
                             String operation, Throwable cause) {
        super(status == 401 ? ExitCode.BAD_INPUT : ExitCode.PROVIDER_ERROR,
                describe(provider, status, errorCode, providerMessage, requestId, operation), cause);
        this.provider = provider;
        this.status = status;
        this.errorCode = errorCode;
        this.providerMessage = providerMessage;
        this.requestId = requestId;
        this.operation = operation;
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

    public boolean isNotFound() {
        return status == 404;
    }
}
