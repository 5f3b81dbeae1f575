package dev.gantry.prismagate.db;

import java.time.OffsetDateTime;

/** A row of {@code _prisma_migrations}. */
public record MigrationRow(String id, String checksum, OffsetDateTime finishedAt, String name, String logs,
                           OffsetDateTime rolledBackAt, OffsetDateTime startedAt, int appliedStepsCount) {

    /** Started, neither finished nor rolled back: Prisma's "failed" (P3009). */
    public boolean failed() {
        return finishedAt == null && rolledBackAt == null;
    }

    public boolean applied() {
        return finishedAt != null && rolledBackAt == null;
    }

    public boolean rolledBack() {
        return rolledBackAt != null;
    }
}
