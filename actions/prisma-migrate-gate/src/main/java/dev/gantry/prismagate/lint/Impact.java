package dev.gantry.prismagate.lint;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** What a finding means for a deploy; decides the migration's class. */
public enum Impact {
    /** Destroys data or breaks running clients: needs {@code allow-destructive} or the allow label. */
    CONTRACT,
    /** Locks or rewrites a table, or fails on existing data. */
    RISKY,
    /** Prisma cannot apply the file as written. */
    BROKEN;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
