package dev.gantry.actiontests.smoketest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A plain-HTTP forward proxy on 127.0.0.1 for tests: takes absolute-form requests ({@code GET http://host:port/path
 * HTTP/1.1}), forwards each to its target on a fresh connection ({@code Connection: close}) and relays the answer.
 * Records the request lines it saw. One connection at a time, each bounded by a 10 s socket timeout.
 */
final class ForwardProxy implements AutoCloseable {
    private final ServerSocket socket;
    private final Thread thread;
    final List<String> seen = new CopyOnWriteArrayList<>();

    ForwardProxy() throws IOException {
        socket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        thread = Thread.ofVirtual().start(this::serve);
    }

    int port() {
        return socket.getLocalPort();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                client.setSoTimeout(10_000);
                handle(client);
            } catch (IOException e) {
                // closed, or a client gone: next
            }
        }
    }

    private void handle(Socket client) throws IOException {
        InputStream in = client.getInputStream();
        String head = readHead(in);
        String[] lines = head.split("\r\n");
        String[] first = lines[0].split(" ");
        seen.add(lines[0]);
        URI target = URI.create(first[1]);
        int length = 0;
        StringBuilder forward = new StringBuilder(first[0] + " " + target.getRawPath()
                + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery()) + " HTTP/1.1\r\n");
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i];
            String lower = l.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("connection:") || lower.startsWith("proxy-")) continue;
            if (lower.startsWith("content-length:")) length = Integer.parseInt(l.substring(15).strip());
            forward.append(l).append("\r\n");
        }
        forward.append("Connection: close\r\n\r\n");
        byte[] body = in.readNBytes(length);
        try (Socket upstream = new Socket(target.getHost(), target.getPort())) {
            upstream.setSoTimeout(10_000);
            OutputStream up = upstream.getOutputStream();
            up.write(forward.toString().getBytes(StandardCharsets.ISO_8859_1));
            up.write(body);
            up.flush();
            byte[] answer = upstream.getInputStream().readAllBytes();
            // the JDK client keeps connections alive; this proxy closes after each answer
            String a = new String(answer, StandardCharsets.ISO_8859_1).replaceFirst("\r\n", "\r\nConnection: close\r\n");
            client.getOutputStream().write(a.getBytes(StandardCharsets.ISO_8859_1));
            client.getOutputStream().flush();
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
            if (state == 4) break;
            if (b.size() > 64 * 1024) throw new IOException("head too large");
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
        thread.interrupt();
    }
}
