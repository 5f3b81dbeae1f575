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
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://a b")).hasMessageContaining("not a valid URL");
    }
}
