package dev.gantry.checks;

import dev.gantry.common.action.InputException;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The HTTP clients of one run: one per HTTP version and TLS setting, all sharing one cookie jar (so a session
 * carries across checks, as in Hurl) and one proxy setting. Redirects are never followed by the client: the runner
 * follows them itself, so that it decides which headers go to which origin.
 */
final class HttpClients implements AutoCloseable {
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final Duration connectTimeout;
    private final Proxies proxies;
    private final Map<String, HttpClient> clients = new HashMap<>();
    private final Map<CheckOptions.Tls, SSLContext> contexts = new HashMap<>();

    HttpClients(Duration connectTimeout, Proxies proxies) {
        this.connectTimeout = connectTimeout;
        this.proxies = proxies;
    }

    CookieManager cookies() {
        return cookies;
    }

    HttpClient client(CheckOptions.HttpVersion version, CheckOptions.Tls tls, boolean plainHttp) {
        HttpClient.Version v = switch (version) {
            case HTTP_2 -> HttpClient.Version.HTTP_2;
            case HTTP_1_1 -> HttpClient.Version.HTTP_1_1;
            // HTTP/2 over TLS is negotiated (ALPN); on plain http the client would send an h2c upgrade, so 1.1
            case AUTO -> plainHttp ? HttpClient.Version.HTTP_1_1 : HttpClient.Version.HTTP_2;
        };
        String key = v + "|" + tls;
        HttpClient c = clients.get(key);
        if (c == null) {
            HttpClient.Builder b = HttpClient.newBuilder().version(v).cookieHandler(cookies).connectTimeout(connectTimeout)
                    .followRedirects(HttpClient.Redirect.NEVER).proxy(proxies.selector());
            if (!tls.equals(CheckOptions.Tls.DEFAULT)) b.sslContext(sslContextFor(tls));
            c = b.build();
            clients.put(key, c);
        }
        return c;
    }

    /** The TLS context of {@code tls}, one per distinct setting in a run (the soak shares the checks'). */
    SSLContext sslContextFor(CheckOptions.Tls tls) {
        return contexts.computeIfAbsent(tls, HttpClients::sslContext);
    }

    /** The proxy requests to {@code uri} go through, or null when they connect directly. */
    URI proxyFor(URI uri) {
        URI p = "https".equalsIgnoreCase(uri.getScheme()) ? proxies.https() : proxies.http();
        return p == null || uri.getHost() == null || proxies.bypass(uri.getHost()) ? null : p;
    }

    @Override
    public void close() {
        // not close(): that waits for exchanges a timed-out check abandoned
        clients.values().forEach(HttpClient::shutdownNow);
        clients.clear();
    }

    /** The TLS context for {@code tls}; files were checked when the checks were read. */
    static SSLContext sslContext(CheckOptions.Tls tls) {
        try {
            TrustManager[] trust;
            if (tls.insecure()) {
                trust = new TrustManager[]{new TrustAll()};
            } else if (tls.ca() != null) {
                trust = new TrustManager[]{new Both(system(), custom(certificates(tls.ca())))};
            } else {
                trust = null;
            }
            KeyManagerFactory keys = null;
            if (tls.cert() != null) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                List<X509Certificate> chain = certificates(tls.cert());
                ks.setKeyEntry("client", privateKey(tls.key() != null ? tls.key() : tls.cert()), new char[0],
                        chain.toArray(new Certificate[0]));
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(ks, new char[0]);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keys == null ? null : keys.getKeyManagers(), trust, null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** Every certificate of a PEM file. */
    static List<X509Certificate> certificates(Path pem) throws IOException, GeneralSecurityException {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        Collection<? extends Certificate> all = cf.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(pem)));
        List<X509Certificate> out = new ArrayList<>();
        for (Certificate c : all) out.add((X509Certificate) c);
        if (out.isEmpty()) throw new GeneralSecurityException("no certificate in " + pem.getFileName());
        return out;
    }

    /** A PKCS#8 private key ({@code BEGIN PRIVATE KEY}), RSA or EC. */
    static PrivateKey privateKey(Path pem) throws IOException, GeneralSecurityException {
        String text = Files.readString(pem, StandardCharsets.US_ASCII);
        int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = text.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new GeneralSecurityException(pem.getFileName() + " holds no PKCS#8 private key (BEGIN PRIVATE KEY);"
                    + " convert one with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key8.pem");
        }
        byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + 27, end));
        for (String alg : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException ignored) {
                // try the next algorithm
            }
        }
        throw new GeneralSecurityException("the key in " + pem.getFileName() + " is not RSA, EC or Ed25519");
    }

    private static X509ExtendedTrustManager system() throws GeneralSecurityException {
        return custom(null);
    }

    private static X509ExtendedTrustManager custom(List<X509Certificate> cas) throws GeneralSecurityException {
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (cas == null) {
            f.init((KeyStore) null);
        } else {
            try {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                for (int i = 0; i < cas.size(); i++) ks.setCertificateEntry("ca" + i, cas.get(i));
                f.init(ks);
            } catch (IOException e) {
                throw new GeneralSecurityException(e);
            }
        }
        for (TrustManager t : f.getTrustManagers()) if (t instanceof X509ExtendedTrustManager x) return x;
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    /** Trusts a server that the system's CAs or the given ones vouch for (host names checked by both). */
    private static final class Both extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager a;
        private final X509ExtendedTrustManager b;

        Both(X509ExtendedTrustManager a, X509ExtendedTrustManager b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws java.security.cert.CertificateException {
            try {
                b.checkServerTrusted(chain, authType, engine);
            } catch (java.security.cert.CertificateException e) {
                a.checkServerTrusted(chain, authType, engine);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws java.security.cert.CertificateException {
            try {
                b.checkServerTrusted(chain, authType, socket);
            } catch (java.security.cert.CertificateException e) {
                a.checkServerTrusted(chain, authType, socket);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            try {
                b.checkServerTrusted(chain, authType);
            } catch (java.security.cert.CertificateException e) {
                a.checkServerTrusted(chain, authType);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws java.security.cert.CertificateException {
            a.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws java.security.cert.CertificateException {
            a.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            a.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            List<X509Certificate> all = new ArrayList<>(List.of(a.getAcceptedIssuers()));
            all.addAll(List.of(b.getAcceptedIssuers()));
            return all.toArray(new X509Certificate[0]);
        }
    }

    /**
     * {@code insecure: true}: no chain and no host name check. An extended trust manager does the endpoint
     * identification itself, so doing nothing here skips that too.
     */
    private static final class TrustAll extends X509ExtendedTrustManager implements X509TrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /**
     * The proxy from the standard variables, as curl reads them: {@code https_proxy} / {@code HTTPS_PROXY} for https
     * URLs, {@code http_proxy} (lower case only, as curl) for http, {@code all_proxy} / {@code ALL_PROXY} for both,
     * and {@code no_proxy} / {@code NO_PROXY} (host names, {@code .domain} suffixes, {@code *}) to bypass it.
     */
    record Proxies(URI http, URI https, List<String> noProxy) {
        static final Proxies NONE = new Proxies(null, null, List.of());

        static Proxies fromEnvironment(Function<String, String> env) {
            URI all = uri(first(env, "all_proxy", "ALL_PROXY"), "all_proxy");
            URI https = uri(first(env, "https_proxy", "HTTPS_PROXY"), "https_proxy");
            URI http = uri(env.apply("http_proxy"), "http_proxy");
            String no = first(env, "no_proxy", "NO_PROXY");
            List<String> noProxy = new ArrayList<>();
            if (no != null) {
                for (String h : no.split(",")) if (!h.isBlank()) noProxy.add(h.strip().toLowerCase(Locale.ROOT));
            }
            return new Proxies(http != null ? http : all, https != null ? https : all, noProxy);
        }

        private static String first(Function<String, String> env, String a, String b) {
            String v = env.apply(a);
            return v != null && !v.isBlank() ? v : env.apply(b);
        }

        private static URI uri(String v, String name) {
            if (v == null || v.isBlank()) return null;
            String s = v.strip();
            if (!s.contains("://")) s = "http://" + s;
            // the step's environment is configuration: a proxy it cannot use is bad input (exit 2), never a crash
            URI u;
            try {
                u = URI.create(s);
            } catch (IllegalArgumentException e) {
                throw new InputException(name, "The proxy variable " + name + " is not a URL.");
            }
            if (u.getHost() == null) throw new InputException(name, "The proxy variable " + name + " is not a proxy URL.");
            if (u.getUserInfo() != null) {
                throw new InputException(name, "The proxy variable " + name + " holds a user name and password; proxies "
                        + "that need them are not supported by smoke-test (the JDK client does not send them through an "
                        + "HTTPS tunnel).");
            }
            if (!"http".equalsIgnoreCase(u.getScheme())) {
                throw new InputException(name, "The proxy variable " + name + " must be an http:// proxy (got "
                        + u.getScheme() + "://).");
            }
            return u;
        }

        boolean bypass(String host) {
            String h = host.toLowerCase(Locale.ROOT);
            for (String n : noProxy) {
                if (n.equals("*")) return true;
                String d = n.startsWith(".") ? n.substring(1) : n;
                if (h.equals(d) || h.endsWith("." + d)) return true;
            }
            return false;
        }

        ProxySelector selector() {
            Proxies self = this;
            return new ProxySelector() {
                @Override
                public List<Proxy> select(URI uri) {
                    URI p = "https".equalsIgnoreCase(uri.getScheme()) ? self.https : self.http;
                    if (p == null || self.bypass(uri.getHost())) return List.of(Proxy.NO_PROXY);
                    int port = p.getPort() > 0 ? p.getPort() : 80;
                    return List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(p.getHost(), port)));
                }

                @Override
                public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
                }
            };
        }
    }
}
