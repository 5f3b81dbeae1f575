package dev.gantry.prismagate.change;

import dev.gantry.prismagate.sql.Name;

import java.util.List;

/**
 * What one top-level statement of a migration does to the schema or the data, as far as the data check, the
 * snapshot and the crash verdict need to know. {@code line} is the 1-based line in {@code migration.sql} (of the
 * ALTER TABLE action, for multi-action statements); {@code statement} is the statement's index in the file.
 */
public sealed interface Change {
    int line();

    int statement();

    record CreateTable(int line, int statement, Name table, boolean ifNotExists) implements Change {
    }

    record DropTable(int line, int statement, Name table, boolean ifExists) implements Change {
    }

    record RenameTable(int line, int statement, Name table, String to) implements Change {
    }

    /**
     * {@code ADD COLUMN}. {@code defaultSql} is the DEFAULT expression (null: none, or DEFAULT NULL);
     * {@code filled} means every existing row gets a value without a default (serial, identity, generated).
     */
    record AddColumn(int line, int statement, Name table, String column, String type, boolean notNull,
                     String defaultSql, boolean filled, boolean ifNotExists) implements Change {
    }

    record DropColumn(int line, int statement, Name table, String column, boolean ifExists) implements Change {
    }

    record RenameColumn(int line, int statement, Name table, String from, String to) implements Change {
    }

    record SetNotNull(int line, int statement, Name table, String column) implements Change {
    }

    record DropNotNull(int line, int statement, Name table, String column) implements Change {
    }

    /** {@code ALTER COLUMN … [SET DATA] TYPE type [USING expr]}: type and expression as written. */
    record AlterColumnType(int line, int statement, Name table, String column, String type, String using)
            implements Change {
    }

    /**
     * A unique index or a PRIMARY KEY / UNIQUE constraint being built over existing rows. {@code elements} are
     * the key's columns (quoted) or expressions, as SQL; {@code where} the partial index predicate or null.
     */
    record AddUnique(int line, int statement, Name table, String name, List<String> elements, List<String> columns,
                     boolean primaryKey, boolean nullsNotDistinct, String where) implements Change {
    }

    /** {@code ADD FOREIGN KEY (columns) REFERENCES referenced (referencedColumns)}; empty: its primary key. */
    record AddForeignKey(int line, int statement, Name table, String name, List<String> columns, Name referenced,
                         List<String> referencedColumns, boolean notValid) implements Change {
    }

    /** Any other named constraint added (CHECK, EXCLUDE, or one of the above: for the catalog's view). */
    record AddConstraint(int line, int statement, Name table, String name) implements Change {
    }

    record DropConstraint(int line, int statement, Name table, String name, boolean ifExists) implements Change {
    }

    record CreateIndex(int line, int statement, Name table, String name, boolean unique, boolean concurrently,
                       boolean ifNotExists) implements Change {
    }

    record DropIndex(int line, int statement, List<Name> indexes, boolean concurrently, boolean ifExists)
            implements Change {
    }

    record CreateEnum(int line, int statement, Name type, List<String> labels) implements Change {
    }

    record AddEnumValue(int line, int statement, Name type, String label, boolean ifNotExists) implements Change {
    }

    record RenameType(int line, int statement, Name type, String to) implements Change {
    }

    record DropType(int line, int statement, List<Name> types, boolean ifExists) implements Change {
    }

    /**
     * Rows written: {@code verb} is UPDATE, DELETE, INSERT, TRUNCATE, MERGE or COPY; {@code everyRow} when no
     * WHERE limits an UPDATE or DELETE (TRUNCATE: always).
     */
    record WritesRows(int line, int statement, Name table, String verb, boolean everyRow) implements Change {
    }

    record DropSchema(int line, int statement, String schema, boolean ifExists) implements Change {
    }

    /** A statement whose effects are not readable from its text: {@code DO}, {@code CALL}, a function call. */
    record Opaque(int line, int statement, String what) implements Change {
    }
}
