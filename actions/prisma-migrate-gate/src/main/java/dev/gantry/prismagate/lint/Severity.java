package dev.gantry.prismagate.lint;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** How a finding is reported; {@code OFF} disables the rule. */
public enum Severity {
    OFF, NOTICE, WARNING, ERROR;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
