package dev.gantry.prismagate;

import dev.gantry.common.action.InputException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {
    private static Settings.Builder builder() {
        return Settings.builder(Path.of("/ws"));
    }

    private static void refused(Settings.Builder b, String input, String text) {
        assertThatThrownBy(b::build).isInstanceOfSatisfying(InputException.class, e -> {
            assertThat(e.input()).isEqualTo(input);
            assertThat(e.getMessage()).contains(text);
        });
    }

    @Test
    void defaultsAreACheckWithoutADatabase() {
        Settings s = builder().build();
        assertThat(s.mode()).isEqualTo(Settings.Mode.CHECK);
        assertThat(s.database()).isNull();
        assertThat(s.dataCheck()).as("nothing to check without a database").isFalse();
        assertThat(s.defaultDir()).isTrue();
        assertThat(s.timeout()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void inputsThatDoNotGoTogetherAreRefusedNamingTheInput() {
        refused(builder().mode("apply"), "database-url", "is required with mode: apply");
        refused(builder().mode("restore"), "database-url", "is required with mode: restore");
        String db = "postgresql://u:p@h/d";
        refused(builder().databaseUrl(db).backup(true), "backup", "only with mode: apply");
        refused(builder().databaseUrl(db).planHash("a".repeat(64)), "plan-hash", "only with mode: apply");
        refused(builder().databaseUrl(db).mode("apply").planHash("xyz"), "plan-hash", "64 hex digits");
        refused(builder().databaseUrl(db).mode("restore"), "backup-id", "is required with mode: restore");
        refused(builder().databaseUrl(db).backupId("gantry_backup_20240101_000000"), "backup-id", "only with mode: restore");
        refused(builder().databaseUrl(db).mode("restore").backupId("public; DROP"), "backup-id", "snapshot schema");
        refused(builder().timeout(Duration.ZERO), "timeout", "longer than zero");
        assertThatThrownBy(() -> builder().databaseUrl("mysql://x")).isInstanceOfSatisfying(InputException.class,
                e -> assertThat(e.input()).isEqualTo("database-url"));
        assertThatThrownBy(() -> builder().rules("nope")).isInstanceOfSatisfying(InputException.class,
                e -> assertThat(e.input()).isEqualTo("rules"));
    }

    @Test
    void allowedByTheFlagOrTheLabel() {
        assertThat(builder().allowDestructive(true, "", List.of()).build().allowedBy()).isEqualTo("allow-destructive: true");
        assertThat(builder().allowDestructive(false, "ok", List.of("ok")).build().allowedBy()).isEqualTo("the pull request label `ok`");
        assertThat(builder().allowDestructive(false, "ok", List.of("other")).build().allowedBy()).isNull();
        Settings s = builder().databaseUrl("postgresql://u:p@h/d").mode("apply").planHash("AB".repeat(32)).backup(true).build();
        assertThat(s.planHash()).isEqualTo("ab".repeat(32));
        assertThat(s.apply()).isTrue();
    }
}
