package dev.gantry.prismagate;

import dev.gantry.prismagate.lint.Finding;
import dev.gantry.prismagate.lint.Impact;
import dev.gantry.prismagate.lint.Severity;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/** What the gate found, per migration; serialised as the {@code plan} output. */
public record Plan(String environment, String database, String mode, int pendingCount, boolean destructive,
                   String verdict, List<Item> migrations) {

    /**
     * The plan as compact JSON. Written with Jackson's streaming generator rather than data binding: on a cold JVM,
     * introspecting these records costs more than the whole lint of a 400-migration history.
     */
    public String toJson() {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("environment", environment);
            g.writeStringField("database", database);
            g.writeStringField("mode", mode);
            g.writeNumberField("pendingCount", pendingCount);
            g.writeBooleanField("destructive", destructive);
            g.writeStringField("verdict", verdict);
            g.writeArrayFieldStart("migrations");
            for (Item m : migrations) {
                g.writeStartObject();
                g.writeStringField("name", m.name());
                g.writeStringField("state", m.state());
                g.writeStringField("migrationClass", m.migrationClass());
                g.writeStringField("checksum", m.checksum());
                g.writeArrayFieldStart("findings");
                for (Issue i : m.findings()) {
                    g.writeStartObject();
                    g.writeStringField("rule", i.rule());
                    g.writeStringField("severity", i.severity().label());
                    g.writeStringField("impact", i.impact().label());
                    g.writeStringField("file", i.file());
                    g.writeNumberField("line", i.line());
                    g.writeStringField("message", i.message());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeStringField("problem", m.problem());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /** A migration's class: what deploying it does to a live database. */
    public enum MigrationClass {
        EXPAND, RISKY, CONTRACT, NONE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static MigrationClass of(List<Issue> issues) {
            if (issues.stream().anyMatch(i -> i.impact == Impact.CONTRACT)) return CONTRACT;
            if (!issues.isEmpty()) return RISKY;
            return EXPAND;
        }
    }

    /** A finding with the severity it got after configuration ({@code description} is the rule's, not in the JSON). */
    public record Issue(String rule, Severity severity, Impact impact, String file, int line, String message,
                        String description) {
        public static Issue of(Finding f, Severity severity, String file) {
            return new Issue(f.rule().id(), severity, f.rule().impact(), file, f.line(), f.message(),
                    f.rule().description());
        }
    }

    /** One migration: where it stands, its class (for migrations that will run), its findings. */
    public record Item(String name, String state, String migrationClass, String checksum, List<Issue> findings,
                       String problem) {
    }
}
