package dev.gantry.actiontests.prisma;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import dev.gantry.actiontests.harness.Project;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real-world corpus (langfuse, 434 migrations, in {@code ../shared/corpus/prisma}): the whole history applied
 * to an empty database, and the lint's findings compared with the hand-checked classification and with squawk.
 */
class CorpusTest {
    static final Path CORPUS = Project.sharedFile("corpus/prisma/langfuse-langfuse");
    static final String DIR = "packages/shared/prisma/migrations";
    /** Our rule → the classification's category (rules outside the classification's scope are left out). */
    static final Map<String, String> OURS = Map.ofEntries(Map.entry("drop-table", "DROP_TABLE"),
            Map.entry("drop-column", "DROP_COLUMN"), Map.entry("column-type-change", "TYPE_CHANGE"),
            Map.entry("rename-table", "RENAME_TABLE"), Map.entry("rename-column", "RENAME_COLUMN"),
            Map.entry("rename-type", "RENAME_TYPE"), Map.entry("set-not-null", "SET_NOT_NULL"),
            Map.entry("add-required-column", "ADD_NOT_NULL_NO_DEFAULT"),
            Map.entry("enum-value-removed", "ENUM_VALUES_REMOVED"), Map.entry("enum-value-renamed", "ENUM_VALUE_RENAMED"),
            Map.entry("unique-constraint", "UNIQUE_NONCONCURRENT"), Map.entry("update-without-where", "UPDATE_NO_WHERE"),
            Map.entry("delete-without-where", "DELETE_NO_WHERE"), Map.entry("truncate", "TRUNCATE"));
    /**
     * squawk's rule → category, scored as {@code bench/prisma-gate/report.py} scores it: a
     * {@code require-concurrent-index-creation} finding claims a unique index only on a {@code CREATE UNIQUE INDEX}
     * (on a plain index it is a claim the classification has no category for, and is left out, as the gate's own
     * plain-index findings are).
     */
    static final Map<String, String> SQUAWK = Map.ofEntries(Map.entry("ban-drop-table", "DROP_TABLE"),
            Map.entry("ban-drop-column", "DROP_COLUMN"), Map.entry("changing-column-type", "TYPE_CHANGE"),
            Map.entry("renaming-table", "RENAME_TABLE"), Map.entry("renaming-column", "RENAME_COLUMN"),
            Map.entry("adding-not-nullable-field", "SET_NOT_NULL"), Map.entry("adding-required-field", "ADD_NOT_NULL_NO_DEFAULT"),
            Map.entry("require-concurrent-index-creation", "UNIQUE_NONCONCURRENT"),
            Map.entry("disallowed-unique-constraint", "UNIQUE_NONCONCURRENT"),
            Map.entry("adding-serial-primary-key-field", "UNIQUE_NONCONCURRENT"));

    private static Postgres pg;

    record Row(String migration, int line, int lineEnd, String category) {
    }

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(Files.isDirectory(CORPUS.resolve(DIR)), "corpus not found: " + CORPUS);
        pg = Postgres.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (pg != null) pg.close();
    }

    @Test
    void appliesTheWholeHistoryToAnEmptyDatabase() {
        String url = pg.newDatabase();
        long t0 = System.nanoTime();
        ActionResult r = ActionRun.of("prisma-migrate-gate").workspace(CORPUS).with("migrations-dir", DIR)
                .with("database-url", url).with("mode", "apply").with("allow-destructive", "true").run();
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(r.exitCode()).as(tail(r.log())).isZero();
        assertThat(r.output("applied-count")).isEqualTo("434");
        System.out.printf("corpus apply: 434 migrations in %.1f s%n", seconds);
        List<Map<String, Object>> rows = pg.migrationRows(url);
        assertThat(rows).hasSize(434).allSatisfy(m -> {
            assertThat(m.get("finished_at")).isNotNull();
            assertThat(m.get("applied_steps_count")).isEqualTo(1);
        });
        assertThat(rows.get(0).get("migration_name")).isEqualTo("20230518191501_init");
        assertThat(rows.get(433).get("migration_name")).isEqualTo("20260821121500_backfill_evaluator_v2");
        // the end state the corpus's own apply check recorded on PostgreSQL 15: 71 tables, 217 indexes, 32 enums
        assertThat(pg.query(url, "SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'")
                .get(0).get("n")).isEqualTo(71L);
        assertThat(pg.query(url, "SELECT count(*) AS n FROM pg_indexes WHERE schemaname = 'public' AND indexname <> '_prisma_migrations_pkey'")
                .get(0).get("n")).isEqualTo(217L);
        assertThat(pg.query(url, "SELECT count(*) AS n FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
                + " WHERE n.nspname = 'public' AND t.typtype = 'e'").get(0).get("n")).isEqualTo(32L);
        assertThat(pg.query(url, "SELECT count(*) AS n FROM pg_index WHERE NOT indisvalid").get(0).get("n")).isEqualTo(0L);

        ActionResult check = ActionRun.of("prisma-migrate-gate").workspace(CORPUS).with("migrations-dir", DIR)
                .with("database-url", url).run();
        assertThat(check.exitCode()).as(tail(check.log())).isZero();
        assertThat(check.output("pending-count")).isEqualTo("0");
    }

    @Test
    void lintFindingsAgainstTheClassificationAndSquawk() throws Exception {
        ActionResult r = ActionRun.of("prisma-migrate-gate").workspace(CORPUS).with("migrations-dir", DIR).run();
        assertThat(r.exitCode()).as("the history has destructive changes").isEqualTo(1);
        JsonNode plan = new ObjectMapper().readTree(r.output("plan"));
        List<Row> ours = new ArrayList<>();
        Map<String, Integer> perRule = new TreeMap<>();
        for (JsonNode m : plan.path("migrations")) {
            for (JsonNode f : m.path("findings")) {
                perRule.merge(f.path("rule").asText(), 1, Integer::sum);
                String cat = OURS.get(f.path("rule").asText());
                if (cat != null) ours.add(new Row(m.path("name").asText(), f.path("line").asInt(), f.path("line").asInt(), cat));
            }
        }
        // one annotation per finding, on the migration.sql line, path relative to the workspace
        int total = perRule.values().stream().mapToInt(Integer::intValue).sum();
        assertThat(r.errors().size() + r.warnings().size() - 1).isEqualTo(total);
        assertThat(r.errors()).anySatisfy(c -> {
            assertThat(c.property("file")).isEqualTo(DIR + "/20230518193521_changes/migration.sql");
            assertThat(c.property("line")).isEqualTo("12");
        });

        List<Row> truth = new ArrayList<>();
        List<String> csv = Files.readAllLines(CORPUS.resolve("classification.csv"));
        for (String line : csv.subList(1, csv.size())) {
            String[] f = line.split(",", 5);
            truth.add(new Row(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), f[3]));
        }
        List<Row> squawk = new ArrayList<>();
        for (JsonNode f : new ObjectMapper().readTree(CORPUS.resolve("squawk.json").toFile())) {
            String cat = SQUAWK.get(f.path("rule_name").asText());
            if (cat == null) continue;
            String file = f.path("file").asText();
            String migration = file.substring(DIR.length() + 1, file.length() - "/migration.sql".length());
            Row row = new Row(migration, f.path("line").asInt() + 1, f.path("line_end").asInt() + 1, cat);
            if (f.path("rule_name").asText().equals("require-concurrent-index-creation") && !createsUniqueIndex(row)) continue;
            squawk.add(row);
        }
        Score gate = Score.of(ours, truth);
        Score sq = Score.of(squawk, truth);
        System.out.println("corpus lint, findings per rule: " + perRule);
        System.out.printf("gate   vs classification.csv (%d rows): %d findings in scope, %d matched, precision %.3f, recall %.3f%n",
                truth.size(), ours.size(), gate.matched, gate.precision(), gate.recall());
        System.out.printf("squawk (default run, unique indexes only) vs classification.csv (%d rows): %d findings in scope, %d matched, precision %.3f, recall %.3f%n",
                truth.size(), squawk.size(), sq.matched, sq.precision(), sq.recall());
        gate.misses.forEach(m -> System.out.println("  missed: " + m));
        gate.extra.forEach(m -> System.out.println("  extra:  " + m));
        assertThat(gate.recall()).isGreaterThanOrEqualTo(0.95);
        assertThat(gate.precision()).isGreaterThanOrEqualTo(0.95);
        assertThat(gate.recall()).isGreaterThan(sq.recall());
    }

    /** Whether the statement at the finding's lines is a {@code CREATE UNIQUE INDEX}. */
    private static boolean createsUniqueIndex(Row r) throws java.io.IOException {
        List<String> lines = Files.readAllLines(CORPUS.resolve(DIR).resolve(r.migration()).resolve("migration.sql"));
        String statement = String.join(" ", lines.subList(Math.max(0, r.line() - 1), Math.min(lines.size(), r.lineEnd())));
        return statement.matches("(?is).*CREATE\\s+UNIQUE\\s+INDEX.*");
    }

    /** One-to-one matching: same migration and category, the finding's line inside the statement's lines. */
    record Score(int matched, int found, int expected, List<Row> misses, List<Row> extra) {
        static Score of(List<Row> found, List<Row> truth) {
            boolean[] used = new boolean[found.size()];
            List<Row> misses = new ArrayList<>();
            int matched = 0;
            for (Row t : truth) {
                boolean hit = false;
                for (int i = 0; i < found.size() && !hit; i++) {
                    Row f = found.get(i);
                    if (!used[i] && f.migration().equals(t.migration()) && f.category().equals(t.category())
                            && f.line() <= t.lineEnd() && f.lineEnd() >= t.line()) {
                        used[i] = true;
                        hit = true;
                    }
                }
                if (hit) matched++;
                else misses.add(t);
            }
            List<Row> extra = new ArrayList<>();
            for (int i = 0; i < found.size(); i++) if (!used[i]) extra.add(found.get(i));
            return new Score(matched, found.size(), truth.size(), misses, extra);
        }

        double precision() {
            return found == 0 ? 1 : (double) matched / found;
        }

        double recall() {
            return expected == 0 ? 1 : (double) matched / expected;
        }
    }

    private static String tail(String log) {
        return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
    }
}
