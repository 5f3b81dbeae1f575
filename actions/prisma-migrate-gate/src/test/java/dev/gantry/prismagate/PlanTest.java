package dev.gantry.prismagate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.prismagate.lint.Finding;
import dev.gantry.prismagate.lint.Rule;
import dev.gantry.prismagate.lint.Severity;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PlanTest {
    @Test
    void jsonCarriesEveryFieldEscaped() throws Exception {
        Plan.Issue issue = Plan.Issue.of(new Finding(Rule.DROP_COLUMN, 3, 4, "column \"a\".b\n is dropped"), Severity.ERROR,
                "prisma/migrations/1_x/migration.sql");
        Plan plan = new Plan("prod", null, "check", 1, true, "blocked", "ab12", null, List.of(
                new Plan.Item("1_x", "pending", Plan.MigrationClass.of(List.of(issue)).label(), "abc", List.of(issue), null,
                        null),
                new Plan.Item("0_y", "failed", null, "def", List.of(), "did not finish", "not-applied")));
        JsonNode j = new ObjectMapper().readTree(plan.toJson());
        assertThat(j.path("environment").asText()).isEqualTo("prod");
        assertThat(j.path("database").isNull()).isTrue();
        assertThat(j.path("pendingCount").asInt()).isEqualTo(1);
        assertThat(j.path("destructive").asBoolean()).isTrue();
        JsonNode f = j.path("migrations").get(0).path("findings").get(0);
        assertThat(j.path("migrations").get(0).path("migrationClass").asText()).isEqualTo("contract");
        assertThat(f.path("rule").asText()).isEqualTo("drop-column");
        assertThat(f.path("severity").asText()).isEqualTo("error");
        assertThat(f.path("impact").asText()).isEqualTo("contract");
        assertThat(f.path("line").asInt()).isEqualTo(3);
        assertThat(f.path("message").asText()).isEqualTo("column \"a\".b\n is dropped");
        assertThat(j.path("migrations").get(1).path("migrationClass").isNull()).isTrue();
        assertThat(j.path("planHash").asText()).isEqualTo("ab12");
        assertThat(j.path("backupId").isNull()).isTrue();
        assertThat(j.path("migrations").get(1).path("recovery").asText()).isEqualTo("not-applied");
    }

    @Test
    void everyStringSurvivesTheRoundTrip() throws Exception {
        String nasty = "q\" b\\ nl\n cr\r tab\t nul\u0000 esc\u001b del\u007f é ✓ 😀 \u2028 </script>";
        Plan plan = new Plan(nasty, nasty, nasty, 0, false, nasty, nasty, nasty, List.of(new Plan.Item(nasty, nasty,
                nasty, nasty, List.of(Plan.Issue.of(new Finding(Rule.DROP_TABLE, 1, 1, nasty), Severity.NOTICE, nasty)),
                nasty, nasty)));
        JsonNode j = new ObjectMapper().readTree(plan.toJson());
        assertThat(j.path("environment").asText()).isEqualTo(nasty);
        assertThat(j.path("verdict").asText()).isEqualTo(nasty);
        JsonNode m = j.path("migrations").get(0);
        assertThat(j.path("planHash").asText()).isEqualTo(nasty);
        assertThat(j.path("backupId").asText()).isEqualTo(nasty);
        for (String field : List.of("name", "state", "migrationClass", "checksum", "problem", "recovery")) {
            assertThat(m.path(field).asText()).as(field).isEqualTo(nasty);
        }
        assertThat(m.path("findings").get(0).path("file").asText()).isEqualTo(nasty);
        assertThat(m.path("findings").get(0).path("message").asText()).isEqualTo(nasty);
    }

    @Test
    void classes() {
        assertThat(Plan.MigrationClass.of(List.of()).label()).isEqualTo("expand");
        Plan.Issue risky = Plan.Issue.of(new Finding(Rule.SET_NOT_NULL, 1, 1, "x"), Severity.WARNING, "f");
        Plan.Issue broken = Plan.Issue.of(new Finding(Rule.NON_TRANSACTIONAL, 1, 1, "x"), Severity.ERROR, "f");
        assertThat(Plan.MigrationClass.of(List.of(risky)).label()).isEqualTo("risky");
        assertThat(Plan.MigrationClass.of(List.of(broken)).label()).isEqualTo("risky");
    }
}
