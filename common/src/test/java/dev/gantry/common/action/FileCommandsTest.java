package dev.gantry.common.action;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class FileCommandsTest {

    @Test
    void delimitersLookLikeTheToolkitsAndDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String d = FileCommands.randomDelimiter();
            assertThat(d).matches("ghadelimiter_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            seen.add(d);
        }
        assertThat(seen).hasSize(10_000);
    }

    @Test
    void aValueThatHoldsTheNextDelimiterGetsAnother() {
        String[] draws = {"D1", "D2"};
        int[] n = {0};
        String message = FileCommands.keyValueMessage("out", "text\nD1\nmore", () -> draws[n[0]++]);
        assertThat(message).isEqualTo("out<<D2\ntext\nD1\nmore\nD2\n");
    }
}
