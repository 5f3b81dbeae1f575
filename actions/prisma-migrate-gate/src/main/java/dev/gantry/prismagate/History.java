package dev.gantry.prismagate;

import dev.gantry.prismagate.db.MigrationRow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The repository's migrations set against the rows of {@code _prisma_migrations}, classified as Prisma's
 * {@code migrate status}/{@code deploy} would, plus what they deliberately ignore: an applied migration whose
 * file was edited, and migrations the database has but the repository lacks.
 */
public final class History {

    /** One line of the plan: a migration, where it stands, and the row(s) behind that. */
    public record Entry(String name, LocalMigration local, MigrationState state, MigrationRow row) {
    }

    private History() {
    }

    public static List<Entry> classify(List<LocalMigration> locals, List<MigrationRow> rows) {
        Map<String, List<MigrationRow>> byName = new LinkedHashMap<>();
        for (MigrationRow r : rows) byName.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(r);
        List<Entry> out = new ArrayList<>();
        Set<String> localNames = locals.stream().map(LocalMigration::name).collect(Collectors.toSet());
        for (LocalMigration m : locals) {
            List<MigrationRow> rs = byName.getOrDefault(m.name(), List.of());
            MigrationRow failed = rs.stream().filter(MigrationRow::failed).reduce((a, b) -> b).orElse(null);
            MigrationRow applied = rs.stream().filter(MigrationRow::applied).reduce((a, b) -> b).orElse(null);
            if (failed != null) {
                out.add(new Entry(m.name(), m, MigrationState.FAILED, failed));
            } else if (applied != null) {
                boolean same = Checksums.matches(m.script(), applied.checksum());
                out.add(new Entry(m.name(), m, same ? MigrationState.APPLIED : MigrationState.MODIFIED, applied));
            } else {
                out.add(new Entry(m.name(), m, MigrationState.PENDING, rs.isEmpty() ? null : rs.get(rs.size() - 1)));
            }
        }
        Set<String> reported = new java.util.HashSet<>();
        for (MigrationRow r : rows) {
            if (localNames.contains(r.name()) || r.rolledBack() || !reported.add(r.name())) continue;
            out.add(new Entry(r.name(), null, r.failed() ? MigrationState.FAILED : MigrationState.MISSING_LOCALLY, r));
        }
        return out;
    }
}
