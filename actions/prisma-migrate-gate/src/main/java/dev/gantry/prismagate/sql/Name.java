package dev.gantry.prismagate.sql;

/**
 * A possibly schema-qualified object name as PostgreSQL resolves it ({@code schema} is null when the SQL did not
 * qualify it: the connection's search path decides, as it does when the migration runs).
 */
public record Name(String schema, String name) {

    public static Name of(String name) {
        return new Name(null, name);
    }

    /** The name as SQL, every part quoted: {@code "S"."T"} or {@code "T"}. */
    public String sql() {
        return schema == null ? quote(name) : quote(schema) + "." + quote(name);
    }

    /** The name as a person reads it: {@code S.T} or {@code T}. */
    public String display() {
        return schema == null ? name : schema + "." + name;
    }

    /** The same object under another last part (a rename keeps the schema). */
    public Name withName(String other) {
        return new Name(schema, other);
    }

    /** Whether two names can denote the same object: equal last parts, and schemas equal where both are given. */
    public boolean sameAs(Name other) {
        return other != null && name.equals(other.name)
                && (schema == null || other.schema == null || schema.equals(other.schema));
    }

    /** A quoted identifier: {@code "a""b"}. */
    public static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** A string literal: {@code 'it''s'}. (Standard-conforming strings, the default since PostgreSQL 9.1.) */
    public static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    @Override
    public String toString() {
        return display();
    }
}
