package dev.gantry.prismagate.recovery;

import dev.gantry.prismagate.sql.Name;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads facts from the catalog of the connected database (names resolve through the session's search path, as
 * the migration's own statements did). Read-only: {@code to_regclass}, {@code pg_attribute}, {@code pg_index},
 * {@code pg_constraint}, {@code pg_enum}.
 */
public final class CatalogProbe {
    /** What the catalog shows of an index. */
    public enum IndexState { ABSENT, VALID, INVALID }

    private final Connection c;
    private final Map<Fact, Boolean> cache = new HashMap<>();

    public CatalogProbe(Connection connection) {
        this.c = connection;
    }

    public boolean holds(Fact f) throws SQLException {
        Boolean b = cache.get(f);
        if (b == null) {
            b = read(f);
            cache.put(f, b);
        }
        return b;
    }

    private boolean read(Fact f) throws SQLException {
        return switch (f) {
            case Fact.Table t -> exists("SELECT 1 FROM pg_class WHERE oid = to_regclass(?) AND relkind IN ('r', 'p')",
                    t.table().sql());
            case Fact.Column col -> exists("SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass(?) AND attname = ?"
                    + " AND attnum > 0 AND NOT attisdropped", col.table().sql(), col.column());
            case Fact.NotNull n -> exists("SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass(?) AND attname = ?"
                    + " AND attnum > 0 AND NOT attisdropped AND attnotnull", n.table().sql(), n.column());
            case Fact.Index i -> index(i.index()) == IndexState.VALID;
            case Fact.Constraint k -> exists("SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass(?) AND conname = ?",
                    k.table().sql(), k.name());
            case Fact.Type t -> exists("SELECT 1 FROM pg_type WHERE oid = to_regtype(?)", t.type().sql());
            case Fact.Label l -> exists("SELECT 1 FROM pg_enum WHERE enumtypid = to_regtype(?) AND enumlabel = ?",
                    l.type().sql(), l.label());
        };
    }

    public IndexState index(Name index) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass(?)")) {
            ps.setString(1, index.sql());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return IndexState.ABSENT;
                return rs.getBoolean(1) ? IndexState.VALID : IndexState.INVALID;
            }
        }
    }

    private boolean exists(String sql, String... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setString(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
