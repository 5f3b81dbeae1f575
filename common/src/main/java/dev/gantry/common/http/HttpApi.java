package dev.gantry.common.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gantry.common.action.Log;
import feign.Feign;
import feign.Logger;
import feign.Request;
import feign.http2client.Http2Client;
import feign.jackson.JacksonDecoder;
import feign.jackson.JacksonEncoder;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One provider's HTTP setup: base URL, token, timeouts, retries, error decoding and redacted debug logging.
 * {@link #client(Class)} turns a Feign interface describing the provider's API into a working client over
 * {@code java.net.http} (HTTP/2 where the server offers it).
 */
public final class HttpApi {
    /** Jackson as the providers need it: unknown fields ignored, nulls not sent, records supported. */
    public static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private final String provider;
    private final URI baseUrl;
    private final String token;
    private final String userAgent;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final RetryPolicy retryPolicy;
    private final Log log;
    private final List<String> requestIdHeaders;
    private final Map<String, String> headers;
    private final HttpClient httpClient;

    private HttpApi(Builder b) {
        this.provider = b.provider;
        this.baseUrl = Objects.requireNonNull(b.baseUrl, "baseUrl");
        this.token = b.token;
        this.userAgent = b.userAgent;
        this.connectTimeout = b.connectTimeout;
        this.requestTimeout = b.requestTimeout;
        this.retryPolicy = b.retryPolicy;
        this.log = b.log;
        this.requestIdHeaders = List.copyOf(b.requestIdHeaders);
        this.headers = Map.copyOf(b.headers);
        this.httpClient = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_2)
                .build();
    }

    /** The same API over the same connections (one client, one connection pool), with another retry policy. */
    public HttpApi withRetryPolicy(RetryPolicy policy) {
        return new HttpApi(this, policy);
    }

    private HttpApi(HttpApi other, RetryPolicy policy) {
        this.provider = other.provider;
        this.baseUrl = other.baseUrl;
        this.token = other.token;
        this.userAgent = other.userAgent;
        this.connectTimeout = other.connectTimeout;
        this.requestTimeout = other.requestTimeout;
        this.retryPolicy = Objects.requireNonNull(policy, "policy");
        this.log = other.log;
        this.requestIdHeaders = other.requestIdHeaders;
        this.headers = other.headers;
        this.httpClient = other.httpClient;
    }

    public static Builder builder(String provider) {
        return new Builder(provider);
    }

    /** A client for {@code api}, a Feign interface whose paths are relative to the base URL. */
    public <T> T client(Class<T> api) {
        return Feign.builder()
                .client(new Http2Client(httpClient))
                .encoder(new JacksonEncoder(JSON))
                .decoder(new JacksonDecoder(JSON))
                .errorDecoder(new ApiErrorDecoder(provider, requestIdHeaders, retryPolicy.clock()))
                .retryer(new BudgetRetryer(provider, retryPolicy, log))
                .options(new Request.Options(connectTimeout.toMillis(), TimeUnit.MILLISECONDS,
                        requestTimeout.toMillis(), TimeUnit.MILLISECONDS, false))
                .requestInterceptor(t -> {
                    if (token != null && !token.isEmpty()) t.header("Authorization", "Bearer " + token);
                    t.header("User-Agent", userAgent);
                    if (!t.headers().containsKey("Accept")) t.header("Accept", "application/json");
                    headers.forEach(t::header);
                })
                .logger(new RedactingLogger(log))
                .logLevel(log != null && log.isDebug() ? Logger.Level.HEADERS : Logger.Level.NONE)
                .target(api, baseUrl.toString());
    }

    public String provider() {
        return provider;
    }

    public URI baseUrl() {
        return baseUrl;
    }

    /** The underlying client, for calls outside the Feign interface (uploads, presigned URLs without a token). */
    public HttpClient httpClient() {
        return httpClient;
    }

    public String token() {
        return token;
    }

    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    public String userAgent() {
        return userAgent;
    }

    public Log log() {
        return log;
    }

    public List<String> requestIdHeaders() {
        return requestIdHeaders;
    }

    public static final class Builder {
        private final String provider;
        private URI baseUrl;
        private String token;
        private String userAgent = "gantry/0.1 (+https://github.com/gantry-actions/gantry)";
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(60);
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private Log log;
        private final List<String> requestIdHeaders = new ArrayList<>();
        private final Map<String, String> headers = new LinkedHashMap<>();

        private Builder(String provider) {
            this.provider = provider;
        }

        /** The API root; must pass {@link BaseUrl#check} (checked by the caller, who knows the input name). */
        public Builder baseUrl(URI url) {
            this.baseUrl = url;
            return this;
        }

        public Builder token(String t) {
            this.token = t;
            return this;
        }

        public Builder userAgent(String ua) {
            this.userAgent = ua;
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = d;
            return this;
        }

        public Builder requestTimeout(Duration d) {
            this.requestTimeout = d;
            return this;
        }

        public Builder retryPolicy(RetryPolicy p) {
            this.retryPolicy = p;
            return this;
        }

        public Builder log(Log l) {
            this.log = l;
            return this;
        }

        /** Response headers that carry the provider's request id, e.g. {@code x-vercel-id}. */
        public Builder requestIdHeader(String name) {
            this.requestIdHeaders.add(name.toLowerCase(Locale.ROOT));
            return this;
        }

        public Builder header(String name, String value) {
            this.headers.put(name, value);
            return this;
        }

        public HttpApi build() {
            return new HttpApi(this);
        }
    }

    /** Feign's request log through {@link Log#debug}, never with credentials. */
    static final class RedactingLogger extends Logger {
        private final Log log;

        RedactingLogger(Log log) {
            this.log = log;
        }

        @Override
        protected boolean shouldLogRequestHeader(String header) {
            String h = header.toLowerCase(Locale.ROOT);
            return !(h.equals("authorization") || h.contains("token") || h.contains("cookie") || h.contains("api-key"));
        }

        @Override
        protected boolean shouldLogResponseHeader(String header) {
            return !header.toLowerCase(Locale.ROOT).contains("cookie");
        }

        @Override
        protected void log(String configKey, String format, Object... args) {
            if (log != null) log.debug(methodTag(configKey) + String.format(format, args));
        }
    }
}
