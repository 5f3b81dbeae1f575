package dev.gantry.prismagate.lint;

import java.util.Arrays;
import java.util.Optional;

/** The lint rules, by the name users enable and disable them with (input {@code rules}). */
public enum Rule {
    DROP_TABLE("drop-table", Impact.CONTRACT, Severity.ERROR,
            "Dropping a table deletes its data and breaks clients that still use it."),
    DROP_COLUMN("drop-column", Impact.CONTRACT, Severity.ERROR,
            "Dropping a column deletes its data and breaks clients that still read or write it."),
    DROP_SCHEMA("drop-schema", Impact.CONTRACT, Severity.ERROR, "Dropping a schema deletes everything in it."),
    DROP_DATABASE("drop-database", Impact.CONTRACT, Severity.ERROR, "Dropping a database deletes everything in it."),
    RENAME_TABLE("rename-table", Impact.CONTRACT, Severity.ERROR,
            "Renaming a table breaks clients that still use the old name; add the new one and migrate in steps."),
    RENAME_COLUMN("rename-column", Impact.CONTRACT, Severity.ERROR,
            "Renaming a column breaks clients that still use the old name; add the new column, backfill, then drop."),
    RENAME_TYPE("rename-type", Impact.CONTRACT, Severity.ERROR,
            "Renaming a type breaks SQL and clients that name it."),
    ENUM_VALUE_REMOVED("enum-value-removed", Impact.CONTRACT, Severity.ERROR,
            "The enum is recreated without some of its values: the cast fails if a row still holds one, and clients"
                    + " that write it break."),
    ENUM_VALUE_RENAMED("enum-value-renamed", Impact.CONTRACT, Severity.ERROR,
            "Renaming an enum value breaks clients that still write the old value."),
    TRUNCATE("truncate", Impact.CONTRACT, Severity.ERROR, "TRUNCATE deletes every row (CASCADE: of referencing tables too)."),
    DELETE_WITHOUT_WHERE("delete-without-where", Impact.CONTRACT, Severity.ERROR, "DELETE without WHERE deletes every row."),
    UPDATE_WITHOUT_WHERE("update-without-where", Impact.CONTRACT, Severity.ERROR,
            "UPDATE without WHERE rewrites every row under a lock; batch large backfills outside the migration."),
    COLUMN_TYPE_CHANGE("column-type-change", Impact.RISKY, Severity.WARNING,
            "Changing a column's type rewrites the table under an ACCESS EXCLUSIVE lock and fails if a value does not cast."),
    SET_NOT_NULL("set-not-null", Impact.RISKY, Severity.WARNING,
            "SET NOT NULL scans the table under an ACCESS EXCLUSIVE lock and fails if a NULL remains; add a CHECK"
                    + " (col IS NOT NULL) NOT VALID, validate it, then set NOT NULL."),
    ADD_REQUIRED_COLUMN("add-required-column", Impact.RISKY, Severity.WARNING,
            "Adding a NOT NULL column without a default fails on a table that has rows."),
    NON_CONCURRENT_INDEX("non-concurrent-index", Impact.RISKY, Severity.WARNING,
            "Creating or dropping an index without CONCURRENTLY blocks writes to the table while it runs; use"
                    + " CONCURRENTLY, alone in its own migration."),
    UNIQUE_CONSTRAINT("unique-constraint", Impact.RISKY, Severity.WARNING,
            "Building a unique index or PRIMARY KEY/UNIQUE constraint blocks writes and fails on duplicates; build"
                    + " the unique index CONCURRENTLY, then ADD CONSTRAINT ... USING INDEX."),
    CONSTRAINT_NOT_VALID("constraint-not-valid", Impact.RISKY, Severity.WARNING,
            "Adding a FOREIGN KEY or CHECK constraint validates every row under a lock; add it NOT VALID, then"
                    + " VALIDATE CONSTRAINT in a later migration."),
    NON_TRANSACTIONAL("non-transactional-statement", Impact.BROKEN, Severity.ERROR,
            "This statement cannot run inside a transaction block, and Prisma sends the whole file as one implicit"
                    + " transaction: it fails (SQLSTATE 25001). Move it alone into its own migration."),
    INVALID_ENCODING("invalid-encoding", Impact.BROKEN, Severity.ERROR,
            "migration.sql is not valid UTF-8: Prisma replaces the bad bytes before hashing and running it."),
    DATA_REQUIRED_COLUMN("data-required-column", Impact.BROKEN, Severity.ERROR, Texts.DATA
            + " Give the column a DEFAULT, or add it nullable, backfill it, then set NOT NULL."),
    DATA_NULL_VALUES("data-null-values", Impact.BROKEN, Severity.ERROR, Texts.DATA
            + " Backfill the NULLs first (in an earlier migration or an UPDATE before this statement)."),
    DATA_DUPLICATES("data-duplicates", Impact.BROKEN, Severity.ERROR, Texts.DATA
            + " Remove or merge the duplicates first."),
    DATA_ENUM_VALUE_IN_USE("data-enum-value-in-use", Impact.BROKEN, Severity.ERROR, Texts.DATA
            + " Move the rows to values the enum keeps first."),
    DATA_ORPHAN_ROWS("data-orphan-rows", Impact.BROKEN, Severity.ERROR, Texts.DATA
            + " Delete or fix the orphan rows first, or add the key NOT VALID and validate it later."),
    DATA_CAST_FAILS("data-cast-fails", Impact.BROKEN, Severity.ERROR, Texts.DATA
            + " Fix the values first, or give the change a USING expression that converts them.");

    private static final class Texts {
        static final String DATA = "Checked against the rows of the database (read-only): this statement fails on"
                + " them, and Prisma then blocks every later deploy until the failed migration is resolved (P3009).";
    }

    private final String id;
    private final Impact impact;
    private final Severity defaultSeverity;
    private final String description;

    Rule(String id, Impact impact, Severity defaultSeverity, String description) {
        this.id = id;
        this.impact = impact;
        this.defaultSeverity = defaultSeverity;
        this.description = description;
    }

    public String id() {
        return id;
    }

    public Impact impact() {
        return impact;
    }

    public Severity defaultSeverity() {
        return defaultSeverity;
    }

    public String description() {
        return description;
    }

    public static Optional<Rule> byId(String id) {
        return Arrays.stream(values()).filter(r -> r.id.equals(id)).findFirst();
    }
}
