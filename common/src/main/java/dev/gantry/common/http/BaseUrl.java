package dev.gantry.common.http;

import dev.gantry.common.action.InputException;

import java.net.InetAddress;
import java.net.URI;

/**
 * API base URLs that may receive a token: {@code https://} anywhere, plain {@code http://} only on loopback
 * (which is what tests and the local sandbox use).
 */
public final class BaseUrl {
    private BaseUrl() {
    }

    public static URI check(String inputName, URI url) {
        if (url == null || url.getHost() == null) {
            throw InputException.invalid(inputName, "must be an absolute URL");
        }
        if ("https".equals(url.getScheme())) return stripSlash(url);
        if ("http".equals(url.getScheme()) && isLoopback(url.getHost())) return stripSlash(url);
        throw InputException.invalid(inputName, "must use https:// (plain http:// is accepted only for loopback "
                + "addresses, so that a token is never sent in clear text); got " + url.getScheme() + "://" + url.getHost());
    }

    public static boolean isLoopback(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) return true;
        if (!h.matches("[0-9.]+") && !h.contains(":")) return false; // never resolve names here
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (Exception e) {
            return false;
        }
    }

    /** Whether {@code a} and {@code b} are the same origin (scheme, host, port): where a token may follow. */
    public static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : ("https".equalsIgnoreCase(u.getScheme()) ? 443 : 80);
    }

    private static URI stripSlash(URI u) {
        String s = u.toString();
        return s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : u;
    }
}
