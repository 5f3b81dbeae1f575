package dev.gantry.prismagate.recovery;

import dev.gantry.prismagate.change.ChangeReader;
import dev.gantry.prismagate.sql.Name;
import dev.gantry.prismagate.sql.Statement;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FactsTest {
    private static Facts replay(String sql) {
        List<Statement> ss = Statement.split(sql);
        return Facts.replay(ChangeReader.read(ss), ss.size());
    }

    @Test
    void whatTheCatalogShowsBeforeAndAfterEachStatement() {
        Facts f = replay("CREATE TABLE \"T\" (id int);\nALTER TABLE \"User\" ADD COLUMN \"n\" int NOT NULL DEFAULT 0;\n"
                + "UPDATE \"User\" SET n = 1;\nALTER TABLE \"User\" DROP COLUMN \"old\";\n");
        Fact t = new Fact.Table(Name.of("T"));
        Fact n = new Fact.Column(Name.of("User"), "n");
        Fact old = new Fact.Column(Name.of("User"), "old");
        assertThat(f.expectedAfter(0)).containsEntry(t, false).containsEntry(n, false).containsEntry(old, true);
        assertThat(f.expectedAfter(1)).containsEntry(t, true).containsEntry(n, false).containsEntry(old, true);
        assertThat(f.expectedAfter(4)).containsEntry(t, true).containsEntry(n, true).containsEntry(old, false)
                .containsEntry(new Fact.NotNull(Name.of("User"), "n"), true);
    }

    @Test
    void whatIsUnknownBeforeTheFileIsLeftOut() {
        Facts f = replay("CREATE TABLE IF NOT EXISTS \"T\" (id int);\nDROP INDEX IF EXISTS \"i\";\n");
        assertThat(f.expectedAfter(0)).isEmpty();
        assertThat(f.expectedAfter(2)).containsEntry(new Fact.Table(Name.of("T")), true)
                .containsEntry(new Fact.Index(Name.of("i")), false);
    }

    @Test
    void prismasEnumRecreationMovesTheValuesToTheKeptName() {
        Facts f = replay("CREATE TYPE \"Role_new\" AS ENUM ('A');\nALTER TYPE \"Role\" RENAME TO \"Role_old\";\n"
                + "ALTER TYPE \"Role_new\" RENAME TO \"Role\";\nDROP TYPE \"Role_old\";\n");
        assertThat(f.expectedAfter(4)).containsEntry(new Fact.Label(Name.of("Role"), "A"), true)
                .containsEntry(new Fact.Type(Name.of("Role_new")), false)
                .containsEntry(new Fact.Type(Name.of("Role_old")), false)
                .containsEntry(new Fact.Type(Name.of("Role")), true);
        assertThat(f.expectedAfter(0)).containsEntry(new Fact.Type(Name.of("Role")), true)
                .containsEntry(new Fact.Type(Name.of("Role_new")), false);
    }
}
