package dev.gantry.prismagate.lint;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RuleConfigTest {
    @Test
    void defaultsAndOverrides() {
        RuleConfig c = RuleConfig.parse("-drop-column, set-not-null=error\nnon-concurrent-index=off +drop-table");
        assertThat(c.severity(Rule.DROP_COLUMN)).isEqualTo(Severity.OFF);
        assertThat(c.severity(Rule.SET_NOT_NULL)).isEqualTo(Severity.ERROR);
        assertThat(c.severity(Rule.NON_CONCURRENT_INDEX)).isEqualTo(Severity.OFF);
        assertThat(c.severity(Rule.DROP_TABLE)).isEqualTo(Severity.ERROR);
        assertThat(c.severity(Rule.UNIQUE_CONSTRAINT)).isEqualTo(Severity.WARNING);
    }

    @Test
    void unknownRulesAndLevelsAreNamed() {
        assertThatThrownBy(() -> RuleConfig.parse("drop-colum")).hasMessageContaining("no rule named 'drop-colum'");
        assertThatThrownBy(() -> RuleConfig.parse("drop-column=loud")).hasMessageContaining("off, notice, warning or error");
    }
}
