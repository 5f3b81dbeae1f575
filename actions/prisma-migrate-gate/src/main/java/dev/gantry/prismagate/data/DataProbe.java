package dev.gantry.prismagate.data;

import dev.gantry.prismagate.db.Deadline;
import dev.gantry.prismagate.sql.Name;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The queries of the data check. Each runs in a READ ONLY transaction of its own with a {@code statement_timeout}
 * and a {@code lock_timeout}, is bounded by LIMIT or EXISTS, and is rolled back: the check cannot write, and a
 * slow table costs at most one timeout. Results carry counts and primary keys, never column values.
 */
final class DataProbe {
    /** Rows counted up to this many; more is reported as "more than". */
    static final int COUNT_CAP = 10_000;
    /** Duplicate keys reported up to this many groups. */
    static final int GROUP_CAP = 100;
    /** A failing cast is tried row by row on at most this many rows (a sample of bigger tables). */
    static final int CAST_SAMPLE = 20_000;
    /** Up to this many rows (the planner's estimate) a cast is first tried on the whole table in one pass. */
    static final long FULL_PASS = 1_000_000;
    static final Duration QUERY_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern CAST_NOTICE = Pattern.compile("gantry-cast-check (\\d+) (\\d+) ?(.*)", Pattern.DOTALL);

    private final Connection c;
    private final Deadline deadline;

    DataProbe(Connection c, Deadline deadline) {
        this.c = c;
        this.deadline = deadline;
    }

    /** A count (capped) and one example key. */
    record Rows(long count, String example) {
        boolean any() {
            return count > 0;
        }
    }

    boolean exists(Name table) throws SQLException {
        return read(rs -> rs.next(), "SELECT 1 FROM pg_class WHERE oid = to_regclass(" + Name.literal(table.sql())
                + ") AND relkind IN ('r', 'p', 'm', 'f')");
    }

    /** Rows of {@code table} (alias {@code c}) matching {@code where} (SQL, or null for all). */
    Rows rows(Name table, String where) throws SQLException {
        String key = keyExpression(table);
        String w = where == null ? "" : " WHERE " + where;
        long n = read(rs -> rs.next() ? rs.getLong(1) : 0L, "SELECT count(*) FROM (SELECT 1 FROM " + table.sql() + " c" + w
                + " LIMIT " + (COUNT_CAP + 1) + ") s");
        if (n == 0) return new Rows(0, null);
        String example = read(rs -> rs.next() ? rs.getString(1) : null, "SELECT " + key + " FROM " + table.sql() + " c" + w
                + " LIMIT 1");
        return new Rows(n, example);
    }

    /** Groups of rows with equal {@code elements} (capped), and the keys of two rows of the first group. */
    Rows duplicates(Name table, List<String> elements, String where) throws SQLException {
        String key = keyExpression(table);
        String group = String.join(", ", elements);
        String sql = "SELECT count(*) OVER (), (array_agg(" + key + "))[1:2] FROM " + table.sql()
                + (where == null ? "" : " WHERE " + where) + " GROUP BY " + group + " HAVING count(*) > 1 LIMIT "
                + (GROUP_CAP + 1);
        return read(rs -> {
            if (!rs.next()) return new Rows(0, null);
            java.sql.Array a = rs.getArray(2);
            String[] keys = (String[]) a.getArray();
            return new Rows(rs.getLong(1), String.join(" and ", keys));
        }, sql);
    }

    /**
     * Whether {@code expr} (SQL over the table's columns) converts every value of {@code column}: first one pass
     * over the table ({@code count(expr)}; above {@link #FULL_PASS} estimated rows, over a {@code TABLESAMPLE});
     * only when that pass fails on data, the failing rows are counted and named by trying up to
     * {@link #CAST_SAMPLE} rows one by one in a PL/pgSQL block that catches a data error (class 22, or 23 from a
     * domain's CHECK) per row. Any other error (a type that does not exist yet) ends the check without a verdict.
     */
    CastResult cast(Name table, String column, String expr) throws SQLException {
        long estimate = estimate(table);
        String pass = table.sql() + (estimate > FULL_PASS ? " TABLESAMPLE SYSTEM (" + percent(FULL_PASS, estimate) + ")" : "");
        try {
            long n = read(rs -> rs.next() ? rs.getLong(1) : 0L, "SELECT count((" + expr + ")) FROM " + pass + " c");
            return new CastResult(n, 0, null, estimate > FULL_PASS, estimate);
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            if (!state.startsWith("22") && !state.startsWith("23")) throw e;
        }
        boolean sampled = estimate > CAST_SAMPLE;
        String from = table.sql() + (sampled ? " TABLESAMPLE SYSTEM (" + percent(CAST_SAMPLE, estimate) + ")" : "");
        String key = keyExpression(table);
        String body = "DECLARE r record; tried bigint := 0; bad bigint := 0; example text;\n"
                + "BEGIN\n"
                + "  FOR r IN SELECT ctid AS gantry_ctid, " + key + " AS gantry_key FROM " + from + " WHERE "
                + column + " IS NOT NULL LIMIT " + CAST_SAMPLE + " LOOP\n"
                + "    tried := tried + 1;\n"
                + "    BEGIN\n"
                + "      PERFORM (" + expr + ") FROM " + table.sql() + " WHERE ctid = r.gantry_ctid;\n"
                + "    EXCEPTION WHEN data_exception OR integrity_constraint_violation THEN\n"
                + "      bad := bad + 1;\n"
                + "      IF example IS NULL THEN example := r.gantry_key || ' (' || SQLSTATE || ': '"
                + " || split_part(SQLERRM, ':', 1) || ')'; END IF;\n"
                + "    END;\n"
                + "  END LOOP;\n"
                + "  RAISE NOTICE 'gantry-cast-check % % %', tried, bad, coalesce(example, '');\n"
                + "END";
        String tag = "$gantry" + Long.toHexString(System.nanoTime()) + "$";
        String notice = execute("DO " + tag + body + tag);
        Matcher m = notice == null ? null : CAST_NOTICE.matcher(notice);
        if (m == null || !m.find()) throw new SQLException("the cast check returned nothing");
        long bad = Long.parseLong(m.group(2));
        // the pass failed, so at least one value does not convert even if the rows tried do not show it
        return new CastResult(Long.parseLong(m.group(1)), Math.max(1, bad), bad == 0 ? null
                : m.group(3).isBlank() ? null : m.group(3).strip(), sampled, estimate);
    }

    /** A TABLESAMPLE SYSTEM percentage that yields about twice {@code rows} of {@code estimate}. */
    private static String percent(long rows, long estimate) {
        return String.format(java.util.Locale.ROOT, "%.4f", Math.max(0.01, Math.min(100.0, 200.0 * rows / estimate)));
    }

    record CastResult(long tried, long failed, String example, boolean sampled, long estimate) {
    }

    /** The planner's row estimate ({@code reltuples}; -1 or 0 before the first ANALYZE). */
    long estimate(Name table) throws SQLException {
        return read(rs -> rs.next() ? Math.max(0, rs.getLong(1)) : 0L, "SELECT reltuples::bigint FROM pg_class WHERE oid"
                + " = to_regclass(" + Name.literal(table.sql()) + ")");
    }

    /** The primary key's columns, quoted; empty when the table has none. */
    List<String> primaryKey(Name table) throws SQLException {
        return read(rs -> {
            List<String> out = new ArrayList<>();
            while (rs.next()) out.add(Name.quote(rs.getString(1)));
            return out;
        }, "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY"
                + " (i.indkey) WHERE i.indrelid = to_regclass(" + Name.literal(table.sql()) + ") AND i.indisprimary"
                + " ORDER BY array_position(i.indkey::int2[], a.attnum)");
    }

    /** An expression that names a row for a person: {@code 'id=' || "id"}, or its ctid. */
    String keyExpression(Name table) throws SQLException {
        List<String> pk = primaryKey(table);
        if (pk.isEmpty()) return "'ctid=' || ctid::text";
        List<String> parts = new ArrayList<>();
        for (String col : pk) {
            parts.add(Name.literal(col.substring(1, col.length() - 1).replace("\"\"", "\"") + "=") + " || coalesce("
                    + col + "::text, 'NULL')");
        }
        return String.join(" || ', ' || ", parts);
    }

    @FunctionalInterface
    interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> T read(Reader<T> reader, String sql) throws SQLException {
        begin();
        try (Statement st = c.createStatement()) {
            st.setEscapeProcessing(false);
            try (ResultSet rs = st.executeQuery(sql)) {
                return reader.read(rs);
            }
        } finally {
            rollback();
        }
    }

    /** Runs a statement that answers with a NOTICE; returns the notice's text. */
    private String execute(String sql) throws SQLException {
        begin();
        try (Statement st = c.createStatement()) {
            st.setEscapeProcessing(false);
            st.execute(sql);
            for (SQLWarning w = st.getWarnings(); w != null; w = w.getNextWarning()) {
                if (w.getMessage() != null && w.getMessage().contains("gantry-cast-check")) return w.getMessage();
            }
            return null;
        } finally {
            rollback();
        }
    }

    private void begin() throws SQLException {
        long ms = Math.max(1, deadline.cap(QUERY_TIMEOUT).toMillis() - 500);
        try (Statement st = c.createStatement()) {
            st.execute("BEGIN READ ONLY; SET LOCAL statement_timeout = '" + ms + "ms'; SET LOCAL lock_timeout = '"
                    + Math.min(ms, 2000) + "ms'");
        }
    }

    private void rollback() {
        try (Statement st = c.createStatement()) {
            st.execute("ROLLBACK");
        } catch (SQLException ignored) {
            // the connection is gone; the caller's next statement says so
        }
    }
}
