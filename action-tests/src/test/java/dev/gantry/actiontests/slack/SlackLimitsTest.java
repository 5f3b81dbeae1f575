package dev.gantry.actiontests.slack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.ExitCode;
import dev.gantry.common.action.GitHubContext;
import dev.gantry.common.action.Log;
import dev.gantry.common.action.Notice;
import dev.gantry.common.action.Summary;
import dev.gantry.common.http.Deadline;
import dev.gantry.common.slack.SlackMessage;
import dev.gantry.common.slack.SlackNotifier;
import dev.gantry.common.slack.SlackSettings;
import dev.gantry.common.testing.FakeTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A report far larger than a Slack message still goes out: every section within 3,000 characters, at most 50 blocks,
 * the whole within what Slack takes, each cut marked where it is; the simulator (which refuses what Slack refuses)
 * accepts it.
 */
class SlackLimitsTest {
    private final SlackSimulator slack = new SlackSimulator();
    private final Log log = new Log(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false);

    @AfterEach
    void stop() {
        slack.close();
    }

    private SlackSimulator.Message send(Notice notice, String reason) {
        GitHubContext github = new GitHubContext(Map.of("GITHUB_REPOSITORY", "acme/shop", "GITHUB_RUN_ID", "42",
                "GITHUB_SHA", "4f2c9a1e5b7d3c8f0a6e2d4b1c9f7e5a3d1b8c6e", "GITHUB_ACTOR", "octocat",
                "GITHUB_EVENT_NAME", "push", "GITHUB_WORKFLOW", "release"));
        ActionContext.Ending ending = new ActionContext.Ending(ExitCode.FAILED, "fail", reason, new Summary(Map.of(), log));
        var payload = new SlackMessage("Gantry smoke-test", ending, notice, github, log::mask).payload();
        SlackSettings settings = new SlackSettings(null, SlackSimulator.TOKEN, "#deploys", "", SlackSettings.When.ALWAYS,
                slack.apiUrl());
        FakeTime time = new FakeTime();
        new SlackNotifier(settings, log).send(payload, true, Deadline.after(Duration.ofMinutes(1), time.time(), "t"));
        assertThat(slack.refusals()).as("what the simulated Slack refused").isEmpty();
        return slack.messages().get(slack.messages().size() - 1);
    }

    @Test
    void aHugeReportIsCutToSlacksLimitsWithVisibleNotes() {
        Notice n = new Notice().headline("x".repeat(5000)).environment("production").subject("URL", "https://shop.example.com");
        for (int i = 0; i < 30; i++) n.fact("Fact " + i, "v".repeat(i < 5 ? 50 : 2500));
        for (int i = 0; i < 80; i++) {
            List<String> items = new ArrayList<>();
            for (int k = 0; k < 40; k++) items.add("check-" + k + ": GET /api/things/" + k + " → 500: " + "e".repeat(300));
            n.items("Section " + i, items);
        }
        List<List<String>> rows = new ArrayList<>();
        for (int k = 0; k < 200; k++) rows.add(List.of("✗", "p(95)<" + k, "p(95) = " + "9".repeat(200), "soak"));
        n.table("SLO gates", List.of("", "gate", "measured", "over"), rows);
        for (int i = 0; i < 20; i++) n.link("Link " + i, "https://example.com/" + i);

        SlackSimulator.Message m = send(n, "r".repeat(10_000));
        JsonNode blocks = m.blocks();
        assertThat(blocks.size()).isLessThanOrEqualTo(50);
        assertThat(SlackSimulator.blocksText(blocks)).isLessThanOrEqualTo(SlackMessage.MAX_TOTAL_TEXT);
        for (JsonNode t : SlackSimulator.textObjects(blocks)) {
            assertThat(t.path("text").asText().length()).isLessThanOrEqualTo(3000);
        }
        String shown = SlackSimulator.displayed(m);
        assertThat(shown).contains("cut here: Slack takes at most 3,000 characters per section")
                .containsPattern("\\d+ more section\\(s\\) not shown")
                .contains("*Why:* rrrr").contains("r…\n");
        assertThat(m.text().length()).isLessThanOrEqualTo(300);
        // a cut never leaves a code block open or an entity or link broken
        for (JsonNode t : SlackSimulator.textObjects(blocks)) {
            String text = t.path("text").asText();
            assertThat(text.split("```", -1).length % 2).as("code fences closed in: " + text).isEqualTo(1);
            assertThat(text).doesNotContainPattern("&[a-z]{0,3}$").doesNotContainPattern("<[^>]*$");
        }
    }

    @Test
    void cuttingNeverBreaksAnEntityOrALink() {
        // a section that is all entities and links, to be cut somewhere inside one of them
        List<String> items = new ArrayList<>();
        for (int k = 0; k < 25; k++) items.add("<&>".repeat(60));
        Notice n = new Notice().headline("entities").items("Escaped", items);
        for (int i = 0; i < 9; i++) n.link("L" + i, "https://example.com/" + "a".repeat(200) + i);
        SlackSimulator.Message m = send(n, null);
        for (JsonNode t : SlackSimulator.textObjects(m.blocks())) {
            String text = t.path("text").asText();
            assertThat(text).doesNotContainPattern("&(?!amp;|lt;|gt;)").doesNotContainPattern("<[^>]*$");
        }
        assertThat(SlackSimulator.controlSequences(m)).allSatisfy(c -> assertThat(c).startsWith("https://"));
    }

    @Test
    void longListsAndTablesShowTheirFirstLinesAndSayHowManyMore() {
        List<String> items = new ArrayList<>();
        for (int k = 0; k < 30; k++) items.add("check-" + k + " failed");
        List<List<String>> rows = new ArrayList<>();
        for (int k = 0; k < 40; k++) rows.add(List.of("✓", "gate-" + k, "1 ms"));
        SlackSimulator.Message m = send(new Notice().items("Failed checks", items)
                .table("SLO gates", List.of("", "gate", "measured"), rows), null);
        String shown = SlackSimulator.displayed(m);
        assertThat(shown).contains("• check-24 failed\n_… and 5 more_").doesNotContain("check-25 ")
                .contains("gate-24").doesNotContain("gate-25").contains("_… and 15 more_");
    }
}
