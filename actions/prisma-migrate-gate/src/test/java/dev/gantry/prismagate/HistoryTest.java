package dev.gantry.prismagate;

import dev.gantry.prismagate.db.MigrationRow;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HistoryTest {
    private static final OffsetDateTime T = OffsetDateTime.parse("2026-11-23T11:06:29.054Z");

    private static LocalMigration local(String name, String sql) {
        return new LocalMigration(name, Path.of(name, "migration.sql"), sql, true);
    }

    private static MigrationRow applied(String name, String sql) {
        return new MigrationRow("id-" + name, Checksums.of(sql), T.plusSeconds(1), name, null, null, T, 1);
    }

    @Test
    void classifiesLikePrismaPlusWhatPrismaIgnores() {
        List<LocalMigration> locals = List.of(local("1_init", "A"), local("2_edited", "B2"), local("3_failed", "C"),
                local("4_rolled_back", "D"), local("5_new", "E"), local("6_crlf", "x\r\ny\r\n"));
        List<MigrationRow> rows = List.of(applied("1_init", "A"), applied("2_edited", "B"),
                new MigrationRow("f", Checksums.of("C"), null, "3_failed", "boom", null, T, 0),
                new MigrationRow("r", Checksums.of("D"), null, "4_rolled_back", "x", T.plusSeconds(5), T, 0),
                applied("6_crlf", "x\ny\n"), applied("0_gone", "Z"));
        List<History.Entry> h = History.classify(locals, rows);
        assertThat(h).extracting(e -> e.name() + ":" + e.state().label()).containsExactly("1_init:applied",
                "2_edited:modified", "3_failed:failed", "4_rolled_back:pending", "5_new:pending", "6_crlf:applied",
                "0_gone:missing-locally");
    }

    @Test
    void failedThenRolledBackThenReappliedIsApplied() {
        List<MigrationRow> rows = List.of(
                new MigrationRow("a", Checksums.of("v1"), null, "3_bad", "err", T.plusSeconds(2), T, 0),
                new MigrationRow("b", Checksums.of("v2"), T.plusSeconds(4), "3_bad", null, null, T.plusSeconds(3), 1));
        assertThat(History.classify(List.of(local("3_bad", "v2")), rows)).singleElement()
                .extracting(History.Entry::state).isEqualTo(MigrationState.APPLIED);
    }
}
