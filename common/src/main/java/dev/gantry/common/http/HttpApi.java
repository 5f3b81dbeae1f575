package dev.gantry.common.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gantry.common.action.Log;
import feign.Feign;
import feign.Logger;
import feign.Request;
import feign.Retryer;
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
 * One provider's HTTP setup: base URL, token, timeouts, the step's deadline, retries, error decoding and redacted
 * debug logging. {@link #client(Class)} turns a Feign interface describing the provider's API into a working client
 * over {@code java.net.http} (HTTP/2 where the server offers it); {@link #executor()} and {@link #transport()} serve
 * the calls outside Feign (uploads, streams) with the same retry rules and deadline.
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
    private final Log log;
    private final List<String> requestIdHeaders;
    private final Map<String, String> headers;
    private final HttpClient httpClient;
    private final Transport transport;
    private final RetryExecutor executor;

    private HttpApi(Builder b) {
        this.provider = b.provider;
        this.baseUrl = Objects.requireNonNull(b.baseUrl, "baseUrl");
        this.token = b.token;
        this.userAgent = b.userAgent;
        this.connectTimeout = b.connectTimeout;
        this.requestTimeout = b.requestTimeout;
        this.log = b.log;
        this.requestIdHeaders = List.copyOf(b.requestIdHeaders);
        this.headers = Map.copyOf(b.headers);
        this.httpClient = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_2)
                .build();
        this.transport = new Transport(httpClient);
        Deadline deadline = b.deadline != null ? b.deadline : Deadline.none(b.time);
        this.executor = new RetryExecutor(provider, b.retryPolicy, deadline, log);
    }

    public static Builder builder(String provider) {
        return new Builder(provider);
    }

    /** A client for {@code api}, a Feign interface whose paths are relative to the base URL. */
    public <T> T client(Class<T> api) {
        return Feign.builder()
                .client(new ProviderClient(provider, transport, executor, requestTimeout, requestIdHeaders))
                .encoder(new JacksonEncoder(JSON))
                .decoder(new JacksonDecoder(JSON))
                .errorDecoder(new ApiErrorDecoder(provider, requestIdHeaders, executor.time()))
                .retryer(Retryer.NEVER_RETRY)
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

    /** One exchange with a deadline and a body cap, over {@link #httpClient()}. */
    public Transport transport() {
        return transport;
    }

    /** The retry rules and the deadline every call of this API goes through, Feign's and the others. */
    public RetryExecutor executor() {
        return executor;
    }

    public Deadline deadline() {
        return executor.deadline();
    }

    public Time time() {
        return executor.time();
    }

    public String token() {
        return token;
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
        private Time time = Time.SYSTEM;
        private Deadline deadline;
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

        /** The clock and sleep every wait uses (tests inject a virtual one). */
        public Builder time(Time t) {
            this.time = t;
            return this;
        }

        /** The step's deadline: bounds every request, body read and retry pause. Its time is used. */
        public Builder deadline(Deadline d) {
            this.deadline = d;
            this.time = d.time();
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
