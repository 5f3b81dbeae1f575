package dev.gantry.prismagate;

import java.util.Locale;

/** Where a migration stands between the repository and the database. */
public enum MigrationState {
    /** Finished in the database, checksum matches the file. */
    APPLIED,
    /** In the repository, not (or only as rolled back) in the database: deploy will run it. */
    PENDING,
    /** Started and neither finished nor rolled back: Prisma refuses to deploy (P3009). */
    FAILED,
    /** Applied, but the file changed since (checksum mismatch). */
    MODIFIED,
    /** Applied in the database, missing from the repository. */
    MISSING_LOCALLY,
    /** No database given: only linted. */
    UNKNOWN;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether this state fails the gate. */
    public boolean blocks() {
        return this == FAILED || this == MODIFIED || this == MISSING_LOCALLY;
    }
}
