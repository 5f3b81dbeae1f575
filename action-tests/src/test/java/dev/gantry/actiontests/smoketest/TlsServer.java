package dev.gantry.actiontests.smoketest;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An HTTPS server on 127.0.0.1 with a certificate made for the test by the JDK's keytool (a self-signed CA for
 * {@code localhost} and {@code 127.0.0.1}), optionally requiring a client certificate. Writes the PEM files a checks
 * file names: {@code ca.pem} (the server's certificate), {@code client.pem} and {@code client-key.pem} (PKCS#8).
 */
final class TlsServer implements AutoCloseable {
    private static final char[] PASS = "changeit".toCharArray();
    private final HttpsServer server;

    TlsServer(Path dir, boolean needClientCert) throws Exception {
        keytool(dir, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "30", "-keystore", "server.p12",
                "-storetype", "PKCS12", "-storepass", "changeit");
        keytool(dir, "-exportcert", "-rfc", "-alias", "server", "-keystore", "server.p12", "-storepass", "changeit",
                "-file", "ca.pem");
        keytool(dir, "-genkeypair", "-alias", "client", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=smoke-client", "-validity", "30", "-keystore", "client.p12", "-storetype", "PKCS12", "-storepass", "changeit");
        keytool(dir, "-exportcert", "-rfc", "-alias", "client", "-keystore", "client.p12", "-storepass", "changeit",
                "-file", "client.pem");
        KeyStore client = load(dir.resolve("client.p12"));
        PrivateKey key = (PrivateKey) client.getKey("client", PASS);
        Files.writeString(dir.resolve("client-key.pem"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n");

        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(dir.resolve("server.p12")), PASS);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("client", client.getCertificate("client"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(ctx) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = ctx.getDefaultSSLParameters();
                p.setNeedClientAuth(needClientCert);
                params.setSSLParameters(p);
            }
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", ex -> {
            byte[] b = "{\"secure\": true}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
    }

    /** {@code https://localhost:PORT}: the name the certificate is for. */
    URI baseUrl() {
        return URI.create("https://localhost:" + server.getAddress().getPort());
    }

    private static KeyStore load(Path p12) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, PASS);
        }
        return ks;
    }

    private static void keytool(Path dir, String... args) throws IOException, InterruptedException {
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
        Path keytool = java.resolveSibling("keytool");
        List<String> cmd = new java.util.ArrayList<>(List.of(keytool.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("keytool " + args[0] + ": " + out);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
