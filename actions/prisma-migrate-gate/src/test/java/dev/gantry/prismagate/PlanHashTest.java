package dev.gantry.prismagate;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PlanHashTest {
    private static LocalMigration m(String name, String sql) {
        return new LocalMigration(name, Path.of(name), sql, true);
    }

    @Test
    void namesChecksumsAndOrderAllCount() {
        String a = PlanHash.of(List.of(m("1_a", "x"), m("2_b", "y")));
        assertThat(a).matches("[0-9a-f]{64}").isEqualTo(PlanHash.of(List.of(m("1_a", "x"), m("2_b", "y"))));
        assertThat(PlanHash.of(List.of(m("2_b", "y"), m("1_a", "x")))).isNotEqualTo(a);
        assertThat(PlanHash.of(List.of(m("1_a", "x"), m("2_b", "y2")))).isNotEqualTo(a);
        assertThat(PlanHash.of(List.of(m("1_a", "x"), m("2_c", "y")))).isNotEqualTo(a);
        assertThat(PlanHash.of(List.of(m("1_a", "x")))).isNotEqualTo(a);
        assertThat(PlanHash.of(List.of())).isNotEqualTo(a).matches("[0-9a-f]{64}");
    }
}
