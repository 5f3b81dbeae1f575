package dev.gantry.prismagate.backup;

import dev.gantry.prismagate.sql.Name;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Catalog reads the snapshot and the restore share. */
final class Catalog {
    private Catalog() {
    }

    /** The primary key's columns in key order; empty when the table has none. */
    static List<String> primaryKey(Connection c, Name table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attname FROM pg_index i JOIN pg_attribute a ON"
                + " a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey) WHERE i.indrelid = to_regclass(?) AND"
                + " i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)")) {
            ps.setString(1, table.sql());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }
}
