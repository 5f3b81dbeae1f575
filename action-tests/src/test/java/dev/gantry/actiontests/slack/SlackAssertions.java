package dev.gantry.actiontests.slack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.actiontests.harness.ActionRun;
import dev.gantry.common.slack.Mrkdwn;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What every Slack test checks of what reached Slack. */
final class SlackAssertions {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SlackAssertions() {
    }

    /** A step posting with the Web API to {@code #deploys} of {@code slack}. */
    static ActionRun viaWebApi(ActionRun run, SlackSimulator slack) {
        return run.with("slack-token", SlackSimulator.TOKEN).with("slack-channel", "#" + SlackSimulator.CHANNEL)
                .with("slack-api-url", slack.apiUrl().toString());
    }

    /** A step posting through {@code slack}'s incoming webhook. */
    static ActionRun viaWebhook(ActionRun run, SlackSimulator slack) {
        return run.with("slack-webhook-url", slack.webhookUrl().toString());
    }

    /**
     * Every form a secret can leave in: as written, JSON-escaped, URL-encoded (both ways of writing a space), and
     * mrkdwn-escaped (which Slack shows as written).
     */
    static Set<String> forms(String secret) {
        Set<String> f = new LinkedHashSet<>();
        f.add(secret);
        try {
            String j = JSON.writeValueAsString(secret);
            f.add(j.substring(1, j.length() - 1));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        String u = URLEncoder.encode(secret, StandardCharsets.UTF_8);
        f.add(u);
        f.add(u.replace("+", "%20"));
        f.add(Mrkdwn.escape(secret));
        return f;
    }

    /** No secret, in any form, in any payload that reached Slack, nor in what Slack shows of it. */
    static void noSecretIn(SlackSimulator slack, String... secrets) {
        List<String> leaks = new ArrayList<>();
        for (String s : secrets) {
            for (String where : slack.leaksOf(s)) leaks.add(s.substring(0, 4) + "… in the " + where);
        }
        assertThat(leaks).as("secrets in Slack messages").isEmpty();
    }

    /**
     * What Slack would parse in the messages is only links we built, to these places: no mention, no link to
     * anywhere else, whatever provider text the messages quote.
     */
    static void onlyOurLinks(SlackSimulator slack, String... allowedPrefixes) {
        for (SlackSimulator.Message m : slack.messages()) {
            for (String seq : SlackSimulator.controlSequences(m)) {
                assertThat(seq).as("a control sequence in message " + m.ts()).doesNotStartWith("!").doesNotStartWith("@")
                        .doesNotStartWith("#").contains("|");
                String url = seq.substring(0, seq.indexOf('|'));
                assertThat(List.of(allowedPrefixes)).as("where the link " + url + " leads")
                        .anySatisfy(p -> assertThat(url).startsWith(p));
            }
        }
    }
}
