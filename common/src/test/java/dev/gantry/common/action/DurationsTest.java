package dev.gantry.common.action;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DurationsTest {
    @Test
    void durationsReadAsTheTimeoutInputsAreWritten() {
        assertThat(Durations.human(Duration.ZERO)).isEqualTo("0s");
        assertThat(Durations.human(Duration.ofMillis(350))).isEqualTo("350ms");
        assertThat(Durations.human(Duration.ofMillis(4_200))).isEqualTo("4.2s");
        assertThat(Durations.human(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(Durations.human(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(Durations.human(Duration.ofMinutes(10))).isEqualTo("10m");
        assertThat(Durations.human(Duration.ofSeconds(3_725))).isEqualTo("1h02m05s");
        for (String s : new String[]{"350ms", "45s", "1m30s", "10m", "1h02m05s"}) {
            assertThat(Durations.human(Inputs.parseDuration(s))).as("round trip of %s", s).isEqualTo(s);
        }
    }
}
