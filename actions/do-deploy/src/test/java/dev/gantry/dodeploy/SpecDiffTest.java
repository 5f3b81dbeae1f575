package dev.gantry.dodeploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SpecDiffTest {
    static JsonNode json(String s) throws Exception {
        return new ObjectMapper().readTree(s);
    }

    @Test
    void matchesComponentsByNameAndHidesSecrets() throws Exception {
        JsonNode live = json("""
                {"name": "shop", "services": [{"name": "api", "image": {"tag": "v1"}}, {"name": "web", "instance_count": 1}],
                 "envs": [{"key": "DB", "type": "SECRET", "value": "EV[1:abc:def]"}, {"key": "MODE", "value": "a"}]}""");
        JsonNode next = json("""
                {"name": "shop", "services": [{"name": "web", "instance_count": 2}, {"name": "api", "image": {"tag": "v2"}}],
                 "envs": [{"key": "MODE", "value": "b"}, {"key": "DB", "type": "SECRET", "value": "plain-secret"},
                          {"key": "NEW", "type": "SECRET", "value": "another-secret"}]}""");

        var changes = SpecDiff.between(live, next).stream().map(SpecDiff.Change::describe).toList();

        assertThat(changes).containsExactlyInAnyOrder(
                "~ services[api].image.tag: v1 → v2",
                "~ services[web].instance_count: 1 → 2",
                "~ envs[MODE].value: a → b",
                "+ envs[NEW] = {key: NEW, type: SECRET, value: (secret)}");
        assertThat(String.join("\n", changes)).doesNotContain("plain-secret").doesNotContain("another-secret");
    }

    @Test
    void identicalSpecsHaveNoChanges() throws Exception {
        JsonNode s = json("{\"name\": \"shop\", \"services\": [{\"name\": \"web\"}]}");
        assertThat(SpecDiff.between(s, s.deepCopy())).isEmpty();
    }
}
