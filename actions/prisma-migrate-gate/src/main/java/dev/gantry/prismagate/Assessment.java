package dev.gantry.prismagate;

import dev.gantry.prismagate.backup.Snapshot;
import dev.gantry.prismagate.recovery.Verdict;
import dev.gantry.prismagate.sql.Statement;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one run of the gate found and did; {@link Report} renders it, {@link Gate} fills it. */
final class Assessment {
    /** The migrations folder in use. */
    Path dir;
    /** Every migration, repository and database side by side, in Prisma's order. */
    List<History.Entry> entries = new ArrayList<>();
    /** History problems (failed, modified, missing locally), by migration name. */
    final Map<String, String> problems = new LinkedHashMap<>();
    /** The verdicts on unfinished rows, by migration name. */
    final Map<String, Verdict> verdicts = new LinkedHashMap<>();
    /** The statements of a partly applied migration that did not run, by migration name. */
    final Map<String, List<Statement>> remaining = new LinkedHashMap<>();
    /** Findings (lint and data) of the migrations to deploy, by migration name. */
    final Map<String, List<Plan.Issue>> issues = new LinkedHashMap<>();
    /** What this run applied: name → {@code applied} or {@code failed}. */
    final Map<String, String> applied = new LinkedHashMap<>();
    /** A database with tables but no {@code _prisma_migrations} (P3005), explained; else null. */
    String notManaged;
    /** Who held Prisma's lock past the wait (a deploy still running), or null. */
    String lockHolder;
    /** The hash of the pending set (with a database), or null; and how many migrations that set holds. */
    String planHash;
    int planSize;
    /** The snapshot taken before applying, or null. */
    Snapshot.Taken backup;
    /** Why no snapshot was taken although {@code backup: true}, or null. */
    String backupSkipped;
    /** DigitalOcean Managed PostgreSQL: the server time right before the first migration ran (fork point). */
    OffsetDateTime restorePoint;
    /** The PostgreSQL version of the target, e.g. "16.4". */
    String serverVersion;
    /** Whether the data check ran, and how many of its queries could not say. */
    boolean dataChecked;
    int dataSkipped;

    boolean historyInSync() {
        return problems.isEmpty() && notManaged == null;
    }
}
