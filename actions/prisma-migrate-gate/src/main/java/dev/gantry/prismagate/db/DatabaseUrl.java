package dev.gantry.prismagate.db;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A Prisma {@code DATABASE_URL} ({@code postgresql://user:password@host:port/db?schema=app&sslmode=require})
 * turned into a JDBC URL and connection properties. The password goes only into the properties.
 * {@code ?schema=} (default {@code public}) becomes the connection's search path, as Prisma uses it.
 */
public record DatabaseUrl(String jdbcUrl, Properties properties, String schema, String password, String display,
                          List<String> ignoredParameters, boolean pgbouncer) {

    private static final Map<String, String> PASSED = Map.of(
            "sslmode", "sslmode",
            "sslcert", "sslcert",
            "sslkey", "sslkey",
            "sslrootcert", "sslrootcert",
            "sslpassword", "sslpassword",
            "application_name", "ApplicationName",
            "options", "options",
            "connect_timeout", "connectTimeout");

    public static DatabaseUrl parse(String url) {
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a valid URL (expected postgresql://user:password@host:5432/db)");
        }
        if (!"postgresql".equals(u.getScheme()) && !"postgres".equals(u.getScheme())) {
            throw new IllegalArgumentException("must start with postgresql:// or postgres:// (got '"
                    + (u.getScheme() == null ? "" : u.getScheme()) + "://')");
        }
        String host = u.getHost();
        int port = u.getPort();
        if (host == null && u.getRawAuthority() != null) {
            // java.net.URI leaves the host empty for names it considers invalid (db_primary, a compose service)
            String hp = u.getRawAuthority().substring(u.getRawAuthority().lastIndexOf('@') + 1);
            int colon = hp.lastIndexOf(':');
            if (colon > 0 && !hp.endsWith("]") && hp.substring(colon + 1).matches("\\d+")) {
                port = Integer.parseInt(hp.substring(colon + 1));
                hp = hp.substring(0, colon);
            }
            host = hp.isEmpty() ? null : hp;
        }
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("has no host");
        }
        Properties p = new Properties();
        String user = null;
        String password = null;
        if (u.getRawUserInfo() != null) {
            String info = u.getRawUserInfo();
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
        }
        if (user != null) p.setProperty("user", user);
        if (password != null) p.setProperty("password", password);
        String schema = "public";
        List<String> ignored = new ArrayList<>();
        boolean pgbouncer = false;
        Map<String, String> query = new LinkedHashMap<>();
        if (u.getRawQuery() != null) {
            for (String pair : u.getRawQuery().split("&")) {
                if (pair.isEmpty()) continue;
                int eq = pair.indexOf('=');
                query.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        for (Map.Entry<String, String> q : query.entrySet()) {
            String k = q.getKey();
            if (k.equals("schema")) {
                if (!q.getValue().isEmpty()) schema = q.getValue();
            } else if (k.equals("pgbouncer")) {
                pgbouncer = q.getValue().equals("true");
            } else if (PASSED.containsKey(k)) {
                p.setProperty(PASSED.get(k), q.getValue());
            } else {
                ignored.add(k);
            }
        }
        p.putIfAbsent("sslmode", "prefer");
        p.setProperty("currentSchema", schema);
        p.putIfAbsent("ApplicationName", "gantry-prisma-migrate-gate");
        p.putIfAbsent("connectTimeout", "10");
        String path = u.getRawPath() == null || u.getRawPath().length() <= 1 ? "/postgres" : u.getRawPath();
        String hostPort = host + (port > 0 ? ":" + port : "");
        String jdbc = "jdbc:postgresql://" + hostPort + path;
        String display = "postgresql://" + (user == null ? "" : user + "@") + hostPort + decode(path)
                + "?schema=" + schema;
        return new DatabaseUrl(jdbc, p, schema, password, display, List.copyOf(ignored), pgbouncer);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
