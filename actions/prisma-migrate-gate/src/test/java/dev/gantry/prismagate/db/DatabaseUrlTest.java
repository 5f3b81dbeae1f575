package dev.gantry.prismagate.db;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseUrlTest {
    @Test
    void prismaUrlBecomesJdbcWithThePasswordOnlyInProperties() {
        DatabaseUrl u = DatabaseUrl.parse("postgresql://app:p%40ss%3Aw0rd@db.example.com:6543/shop?schema=tenant&sslmode=require&connection_limit=5");
        assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:6543/shop");
        assertThat(u.jdbcUrl()).doesNotContain("w0rd");
        assertThat(u.properties().getProperty("user")).isEqualTo("app");
        assertThat(u.properties().getProperty("password")).isEqualTo("p@ss:w0rd");
        assertThat(u.password()).isEqualTo("p@ss:w0rd");
        assertThat(u.properties().getProperty("sslmode")).isEqualTo("require");
        assertThat(u.properties().getProperty("currentSchema")).isEqualTo("tenant");
        assertThat(u.schema()).isEqualTo("tenant");
        assertThat(u.display()).isEqualTo("postgresql://app@db.example.com:6543/shop?schema=tenant").doesNotContain("w0rd");
        assertThat(u.ignoredParameters()).containsExactly("connection_limit");
    }

    @Test
    void defaultsAndPgbouncer() {
        DatabaseUrl u = DatabaseUrl.parse("postgres://localhost/db?pgbouncer=true");
        assertThat(u.schema()).isEqualTo("public");
        assertThat(u.pgbouncer()).isTrue();
        assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost/db");
    }

    @Test
    void hostNamesThatJavaUriRejectsStillWork() {
        DatabaseUrl u = DatabaseUrl.parse("postgresql://app:pw@db_primary:5433/shop");
        assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://db_primary:5433/shop");
        assertThat(DatabaseUrl.parse("postgresql://db_primary/shop").jdbcUrl()).isEqualTo("jdbc:postgresql://db_primary/shop");
    }

    @Test
    void badUrlsAreExplained() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://x/y")).hasMessageContaining("postgresql://");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql:///db")).hasMessageContaining("no host");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://a b")).hasMessageContaining("percent-encoded");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://h/d?connect_timeout=x")).hasMessageContaining("connect_timeout");
    }

    @Test
    void rawSpecialCharactersInThePasswordGetAHintWithoutThePassword() {
        for (String pw : new String[]{"p@ss", "pa#ss", "pa/ss", "pa?ss", "50%off", "has space"}) {
            String url = "postgresql://app:" + pw + "@db.example.com:5432/shop";
            assertThatThrownBy(() -> DatabaseUrl.parse(url)).as(pw)
                    .hasMessageContaining("percent-encoded").hasMessageContaining("%40")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(pw));
        }
        // encoded, every one of them works
        DatabaseUrl ok = DatabaseUrl.parse("postgresql://app:p%40s%23s%2Fw%3F%25%20x@db.example.com:5432/shop");
        assertThat(ok.password()).isEqualTo("p@s#s/w?% x");
        assertThat(ok.host()).isEqualTo("db.example.com");
        assertThat(ok.passwordHasSpecialCharacters()).isTrue();
    }

    @Test
    void hostPortDatabaseAndDigitalOcean() {
        DatabaseUrl u = DatabaseUrl.parse("postgresql://doadmin:x@db-postgresql-nyc3-12345-do-user-1-0.b.db.ondigitalocean.com:25060/defaultdb?sslmode=require&connect_timeout=4");
        assertThat(u.host()).isEqualTo("db-postgresql-nyc3-12345-do-user-1-0.b.db.ondigitalocean.com");
        assertThat(u.port()).isEqualTo(25060);
        assertThat(u.database()).isEqualTo("defaultdb");
        assertThat(u.user()).isEqualTo("doadmin");
        assertThat(u.connectTimeoutSeconds()).isEqualTo(4);
        assertThat(u.digitalOceanManaged()).isTrue();
        assertThat(DatabaseUrl.parse("postgresql://localhost/db").digitalOceanManaged()).isFalse();
        assertThat(DatabaseUrl.parse("postgresql://[::1]:6432/db").address()).isEqualTo("[::1]:6432");
    }
}
