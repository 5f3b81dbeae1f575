package dev.gantry.common.vercel;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IgnoreRulesTest {
    private final IgnoreRules cli = new IgnoreRules().addAll(IgnoreRules.CLI_DEFAULTS);

    @Test
    void theCliDefaultsIgnoreToolingButNotDotEnv() {
        assertThat(cli.ignores("node_modules", true)).isTrue();
        assertThat(cli.ignores("packages/web/node_modules", true)).isTrue();
        assertThat(cli.ignores(".git", true)).isTrue();
        assertThat(cli.ignores(".env.local", false)).isTrue();
        assertThat(cli.ignores("app/.env.production.local", false)).isTrue();
        assertThat(cli.ignores(".env", false)).isFalse();
        assertThat(cli.ignores(".env.production", false)).isFalse();
        assertThat(cli.ignores(".gitignore", false)).isTrue();
        assertThat(cli.ignores(".vercelignore", false)).isFalse();
        assertThat(cli.ignores(".index.html.swp", false)).isTrue();
        assertThat(cli.ignores(".yarn/cache", true)).isTrue();
        assertThat(cli.ignores("sub/.yarn/cache", true)).as(".yarn/cache is anchored to the root").isFalse();
        assertThat(cli.ignores("index.html", false)).isFalse();
    }

    @Test
    void gitignoreSyntax() {
        IgnoreRules r = new IgnoreRules().add("# comment").add("*.log").add("!keep.log").add("/build")
                .add("docs/").add("src/**/*.test.js").add("./tmp").add("a?c").add("[Tt]humbs.db");
        assertThat(r.ignores("x.log", false)).isTrue();
        assertThat(r.ignores("deep/x.log", false)).isTrue();
        assertThat(r.ignores("keep.log", false)).isFalse();
        assertThat(r.ignores("build", true)).isTrue();
        assertThat(r.ignores("src/build", true)).as("/build is anchored").isFalse();
        assertThat(r.ignores("docs", true)).isTrue();
        assertThat(r.ignores("docs", false)).as("docs/ matches directories only").isFalse();
        assertThat(r.ignores("src/a/b/x.test.js", false)).isTrue();
        assertThat(r.ignores("src/x.test.js", false)).isTrue();
        assertThat(r.ignores("lib/x.test.js", false)).isFalse();
        assertThat(r.ignores("tmp", true)).isTrue();
        assertThat(r.ignores("abc", false)).isTrue();
        assertThat(r.ignores("a/c", false)).as("? stays within a segment").isFalse();
        assertThat(r.ignores("thumbs.db", false)).isTrue();
        assertThat(r.ignores("# comment", false)).isFalse();
    }
}
