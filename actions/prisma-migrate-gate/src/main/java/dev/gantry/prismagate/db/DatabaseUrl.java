package dev.gantry.prismagate.db;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * A Prisma {@code DATABASE_URL} ({@code postgresql://user:password@host:port/db?schema=app&sslmode=require})
 * turned into a JDBC URL and connection properties. The password goes only into the properties, and no message
 * of this class ever contains it. {@code ?schema=} (default {@code public}) becomes the connection's search path,
 * as Prisma uses it.
 */
public record DatabaseUrl(String jdbcUrl, Properties properties, String host, int port, String database,
                          String user, String schema, String password, String display,
                          List<String> ignoredParameters, boolean pgbouncer, Integer connectTimeoutSeconds) {

    /** What to do about special characters in the user or password (Prisma requires the same). */
    public static final String PERCENT_ENCODE_HINT = "special characters in the user name or password must be"
            + " percent-encoded in the URL (@ → %40, : → %3A, / → %2F, # → %23, ? → %3F, % → %25, space → %20)";

    private static final Map<String, String> PASSED = Map.of(
            "sslmode", "sslmode",
            "sslcert", "sslcert",
            "sslkey", "sslkey",
            "sslrootcert", "sslrootcert",
            "sslpassword", "sslpassword",
            "application_name", "ApplicationName",
            "options", "options");

    public static DatabaseUrl parse(String url) {
        String scheme = url.contains("://") ? url.substring(0, url.indexOf("://")) : null;
        if (!"postgresql".equals(scheme) && !"postgres".equals(scheme)) {
            throw new IllegalArgumentException("must start with postgresql:// or postgres:// (got '"
                    + (scheme == null || scheme.length() > 20 ? "" : scheme) + "://')");
        }
        rejectRawSpecialCharacters(url.substring(scheme.length() + 3));
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a valid URL (expected postgresql://user:password@host:5432/db;"
                    + " " + PERCENT_ENCODE_HINT + ")");
        }
        String rawAuthority = u.getRawAuthority();
        if (rawAuthority == null) throw new IllegalArgumentException("has no host");
        int at = rawAuthority.lastIndexOf('@');
        String info = at < 0 ? null : rawAuthority.substring(0, at);
        String hostPort = rawAuthority.substring(at + 1);
        String host = hostPort;
        int port = 5432;
        int colon = hostPort.lastIndexOf(':');
        if (colon > 0 && !hostPort.endsWith("]")) {
            String p = hostPort.substring(colon + 1);
            if (!p.matches("\\d{1,5}")) {
                throw new IllegalArgumentException("has a port that is not a number (" + (at >= 0 ? "is a"
                        + " character of the password unencoded? " + PERCENT_ENCODE_HINT : "'" + p + "'") + ")");
            }
            port = Integer.parseInt(p);
            host = hostPort.substring(0, colon);
        }
        if (host.isEmpty()) throw new IllegalArgumentException("has no host");
        Properties props = new Properties();
        String user = null;
        String password = null;
        if (info != null) {
            int c = info.indexOf(':');
            user = decode(c < 0 ? info : info.substring(0, c));
            password = c < 0 ? null : decode(info.substring(c + 1));
        }
        if (user != null) props.setProperty("user", user);
        if (password != null) props.setProperty("password", password);
        Parameters q = Parameters.of(u.getRawQuery(), props);
        props.putIfAbsent("sslmode", "prefer");
        props.setProperty("currentSchema", q.schema);
        props.putIfAbsent("ApplicationName", "gantry-prisma-migrate-gate");
        String path = u.getRawPath() == null || u.getRawPath().length() <= 1 ? "/postgres" : u.getRawPath();
        String hp = host + (colon > 0 && !hostPort.endsWith("]") ? ":" + port : "");
        String jdbc = "jdbc:postgresql://" + hp + path;
        String database = decode(path.substring(1));
        String display = "postgresql://" + (user == null ? "" : user + "@") + hp + "/" + database + "?schema="
                + q.schema;
        return new DatabaseUrl(jdbc, props, host, port, database, user, q.schema, password, display,
                List.copyOf(q.ignored), q.pgbouncer, q.connectTimeout);
    }

    /** The query parameters: Prisma's own, those passed on to the driver ({@code props}), and the ignored ones. */
    private static final class Parameters {
        String schema = "public";
        final List<String> ignored = new ArrayList<>();
        boolean pgbouncer;
        Integer connectTimeout;

        static Parameters of(String rawQuery, Properties props) {
            Parameters p = new Parameters();
            for (Map.Entry<String, String> q : query(rawQuery).entrySet()) {
                String k = q.getKey();
                switch (k) {
                    case "schema" -> {
                        if (!q.getValue().isEmpty()) p.schema = q.getValue();
                    }
                    case "pgbouncer" -> p.pgbouncer = q.getValue().equals("true");
                    case "connect_timeout" -> {
                        if (!q.getValue().matches("\\d{1,6}")) {
                            throw new IllegalArgumentException("has connect_timeout=" + q.getValue() + ", which is"
                                    + " not a number of seconds");
                        }
                        p.connectTimeout = Integer.parseInt(q.getValue());
                    }
                    default -> {
                        if (PASSED.containsKey(k)) props.setProperty(PASSED.get(k), q.getValue());
                        else p.ignored.add(k);
                    }
                }
            }
            return p;
        }
    }

    /**
     * A raw {@code @ # / ?} in the password cuts the URL in the wrong place: the host becomes part of the password,
     * or the password part of the path. Say so without repeating any of it.
     */
    private static void rejectRawSpecialCharacters(String rest) {
        int slash = indexOfAny(rest, "/?#");
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        int ats = authority.length() - authority.replace("@", "").length();
        if (ats > 1) {
            throw new IllegalArgumentException("has more than one '@' before the host: " + PERCENT_ENCODE_HINT);
        }
        if (ats == 0 && rest.indexOf('@') > 0) {
            throw new IllegalArgumentException("has an '@' after a '/', '?' or '#' (a raw one in the password cuts"
                    + " the URL short): " + PERCENT_ENCODE_HINT);
        }
        if (authority.indexOf(' ') >= 0) {
            throw new IllegalArgumentException("has a space before the host: " + PERCENT_ENCODE_HINT);
        }
        for (int i = 0; i < authority.length(); i++) {
            if (authority.charAt(i) == '%' && !(i + 2 < authority.length() && isHex(authority.charAt(i + 1))
                    && isHex(authority.charAt(i + 2)))) {
                throw new IllegalArgumentException("has a '%' before the host that is not a percent-encoding: "
                        + PERCENT_ENCODE_HINT);
            }
        }
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) return i;
        }
        return -1;
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw == null) return query;
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            query.put(decode(eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT),
                    eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return query;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("has a '%' that is not a percent-encoding: " + PERCENT_ENCODE_HINT);
        }
    }

    /** DigitalOcean Managed PostgreSQL (its hosts are {@code *.db.ondigitalocean.com}). */
    public boolean digitalOceanManaged() {
        return host.toLowerCase(Locale.ROOT).endsWith(".db.ondigitalocean.com");
    }

    /** Where the server is, for messages: {@code host:port}. */
    public String address() {
        return host + ":" + port;
    }

    /** Whether the password has characters that would have had to be percent-encoded (for an auth failure hint). */
    public boolean passwordHasSpecialCharacters() {
        if (password == null) return false;
        for (char ch : password.toCharArray()) {
            if ("@:/#?%[] +&=".indexOf(ch) >= 0) return true;
        }
        return false;
    }
}
