package dev.gantry.common.vercel;

import java.util.List;

/** {@code GET /v2/deployments/{id}/aliases}. */
public record AliasList(List<Alias> aliases) {
    public record Alias(String uid, String alias, Long created) {
    }
}
