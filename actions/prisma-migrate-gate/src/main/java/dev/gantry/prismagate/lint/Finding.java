package dev.gantry.prismagate.lint;

/** One problem in one statement of a migration; {@code line} is 1-based in {@code migration.sql}. */
public record Finding(Rule rule, int line, int endLine, String message) {
}
