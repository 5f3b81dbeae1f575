package dev.gantry.common.vercel;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Set;

/**
 * One line of the deployment events stream (NDJSON, research §2.9): build output ({@code command}, {@code stdout},
 * {@code stderr}, {@code fatal}), {@code deployment-state}, {@code alias-assigned}, or the legacy
 * {@code {"event":"state","payload":{"value":"READY"}}}.
 */
public record DeploymentEvent(String type, String event, Long created, Long date, String text, String deploymentId,
                              String level, Info info, JsonNode payload, List<String> alias) {
    private static final Set<String> LOG_TYPES = Set.of("command", "stdout", "stderr", "fatal", "exit", "delimiter");

    public record Info(String type, String name, String readyState, String step) {
    }

    /** A line of build output worth printing. */
    public boolean isLog() {
        return type != null && LOG_TYPES.contains(type) && text != null;
    }

    /** A change the waiter should look at at once (state, aliases, a fatal error, the legacy state event). */
    public boolean isSignal() {
        return "alias-assigned".equals(type) || "deployment-state".equals(type) || "fatal".equals(type)
                || "state".equals(event) || "ready".equals(type) || "error".equals(type) || "canceled".equals(type);
    }
}
