package dev.gantry.actiontests.harness;

import dev.gantry.common.testing.WorkflowCommands;
import java.util.List;
import java.util.Map;

/** What a run left behind, read back with the runner's own rules. */
public record ActionResult(int exitCode, Map<String, String> outputs, Map<String, String> env,
                           Map<String, String> state, String summary, String log,
                           WorkflowCommands.Parsed commands) {

    public String output(String name) {
        return outputs.get(name);
    }

    public List<WorkflowCommands.Command> errors() {
        return commands.named("error");
    }

    public List<WorkflowCommands.Command> warnings() {
        return commands.named("warning");
    }

    public List<WorkflowCommands.Command> notices() {
        return commands.named("notice");
    }

    /** Whether {@code secret} appears anywhere a person or a later step could read it. */
    public boolean leaks(String secret) {
        if (secret == null || secret.isEmpty()) return false;
        String logWithoutMaskCommands = String.join("\n", commands.plainLines());
        boolean inCommands = commands.commands().stream()
                .filter(c -> !c.name().equals("add-mask"))
                .anyMatch(c -> c.data().contains(secret) || c.properties().values().stream().anyMatch(v -> v.contains(secret)));
        return logWithoutMaskCommands.contains(secret) || inCommands || summary.contains(secret)
                || outputs.values().stream().anyMatch(v -> v.contains(secret))
                || env.values().stream().anyMatch(v -> v.contains(secret));
    }

    @Override
    public String toString() {
        return "exit " + exitCode + ", outputs " + outputs + "\n--- log ---\n" + log + "\n--- summary ---\n" + summary;
    }
}
