package dev.gantry.prismagate;

import dev.gantry.common.action.InputException;
import dev.gantry.prismagate.db.DatabaseUrl;
import dev.gantry.prismagate.lint.RuleConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything the inputs decided, as one immutable value that checked itself when it was built (Jib's
 * {@code ImageConfiguration} style): required values in {@link #builder}, one setter per input, the rules that
 * tie inputs together in {@link Builder#build()}, each failure an {@link InputException} naming the input.
 */
public final class Settings {
    /** What the run does. */
    public enum Mode {
        /** Report and gate, write nothing. */
        CHECK,
        /** Check, then (everything passing) apply the pending migrations. */
        APPLY,
        /** Put the data of a snapshot back ({@code backup-id}). */
        RESTORE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final String DEFAULT_DIR = "prisma/migrations";

    private final Path workspace;
    private final String migrationsDir;
    private final Mode mode;
    private final String environment;
    private final DatabaseUrl database;
    private final String allowedBy;
    private final RuleConfig rules;
    private final boolean failOnWarning;
    private final Duration timeout;
    private final Duration lockTimeout;
    private final Duration statementTimeout;
    private final boolean dataCheck;
    private final boolean backup;
    private final String backupId;
    private final String planHash;
    private final String githubToken;

    private Settings(Builder b) {
        this.workspace = b.workspace;
        this.migrationsDir = b.migrationsDir;
        this.mode = b.mode;
        this.environment = b.environment;
        this.database = b.database;
        this.allowedBy = b.allowedBy;
        this.rules = b.rules;
        this.failOnWarning = b.failOnWarning;
        this.timeout = b.timeout;
        this.lockTimeout = b.lockTimeout;
        this.statementTimeout = b.statementTimeout;
        this.dataCheck = b.dataCheck;
        this.backup = b.backup;
        this.backupId = b.backupId;
        this.planHash = b.planHash;
        this.githubToken = b.githubToken;
    }

    public static Builder builder(Path workspace) {
        return new Builder(workspace);
    }

    public Path workspace() {
        return workspace;
    }

    public String migrationsDir() {
        return migrationsDir;
    }

    /** Whether {@code migrations-dir} is the default (then a folder beside a schema.prisma is looked for). */
    public boolean defaultDir() {
        return migrationsDir.equals(DEFAULT_DIR);
    }

    public Mode mode() {
        return mode;
    }

    public boolean apply() {
        return mode == Mode.APPLY;
    }

    public String environment() {
        return environment;
    }

    /** The target database, or null (lint only). */
    public DatabaseUrl database() {
        return database;
    }

    /** Why contract findings pass ("allow-destructive: true", "the pull request label `x`"), or null. */
    public String allowedBy() {
        return allowedBy;
    }

    public RuleConfig rules() {
        return rules;
    }

    public boolean failOnWarning() {
        return failOnWarning;
    }

    public Duration timeout() {
        return timeout;
    }

    public Duration lockTimeout() {
        return lockTimeout;
    }

    public Duration statementTimeout() {
        return statementTimeout;
    }

    public boolean dataCheck() {
        return dataCheck && database != null;
    }

    public boolean backup() {
        return backup;
    }

    public String backupId() {
        return backupId;
    }

    /** The approved plan's hash to hold apply to, or null. */
    public String planHash() {
        return planHash;
    }

    public String githubToken() {
        return githubToken;
    }

    /** One setter per input; {@link #build()} checks how they go together. */
    public static final class Builder {
        private final Path workspace;
        private String migrationsDir = DEFAULT_DIR;
        private Mode mode = Mode.CHECK;
        private String environment = "";
        private DatabaseUrl database;
        private String allowedBy;
        private RuleConfig rules = RuleConfig.defaults();
        private boolean failOnWarning;
        private Duration timeout = Duration.ofMinutes(30);
        private Duration lockTimeout = Duration.ofSeconds(10);
        private Duration statementTimeout = Duration.ZERO;
        private boolean dataCheck = true;
        private boolean backup;
        private String backupId;
        private String planHash;
        private String githubToken = "";

        private Builder(Path workspace) {
            this.workspace = Objects.requireNonNull(workspace, "workspace");
        }

        public Builder migrationsDir(String dir) {
            this.migrationsDir = dir.isEmpty() ? DEFAULT_DIR : dir;
            return this;
        }

        public Builder mode(String value) {
            this.mode = Mode.valueOf(value.toUpperCase(Locale.ROOT));
            return this;
        }

        public Builder environment(String name) {
            this.environment = name;
            return this;
        }

        /** A Prisma URL, or "" for none. */
        public Builder databaseUrl(String url) {
            if (url.isEmpty()) {
                this.database = null;
                return this;
            }
            try {
                this.database = DatabaseUrl.parse(url);
            } catch (IllegalArgumentException e) {
                throw InputException.invalid("database-url", e.getMessage());
            }
            return this;
        }

        /** {@code allow-destructive}, or the {@code allow-label} among the pull request's labels. */
        public Builder allowDestructive(boolean allow, String label, Collection<String> pullRequestLabels) {
            if (allow) allowedBy = "allow-destructive: true";
            else if (!label.isEmpty() && pullRequestLabels.contains(label)) allowedBy = "the pull request label `" + label + "`";
            else allowedBy = null;
            return this;
        }

        public Builder rules(String spec) {
            try {
                this.rules = RuleConfig.parse(spec);
            } catch (IllegalArgumentException e) {
                throw InputException.invalid("rules", e.getMessage());
            }
            return this;
        }

        public Builder failOn(String level) {
            this.failOnWarning = level.equals("warning");
            return this;
        }

        public Builder timeout(Duration d) {
            this.timeout = d;
            return this;
        }

        public Builder lockTimeout(Duration d) {
            this.lockTimeout = d;
            return this;
        }

        public Builder statementTimeout(Duration d) {
            this.statementTimeout = d;
            return this;
        }

        public Builder dataCheck(boolean on) {
            this.dataCheck = on;
            return this;
        }

        public Builder backup(boolean on) {
            this.backup = on;
            return this;
        }

        public Builder backupId(String id) {
            this.backupId = id.isEmpty() ? null : id;
            return this;
        }

        public Builder planHash(String hash) {
            this.planHash = hash.isEmpty() ? null : hash.toLowerCase(Locale.ROOT);
            return this;
        }

        public Builder githubToken(String token) {
            this.githubToken = token;
            return this;
        }

        /** @throws InputException naming the input when the inputs do not go together */
        public Settings build() {
            if (mode != Mode.CHECK && database == null) {
                throw InputException.invalid("database-url", "is required with mode: " + mode.label());
            }
            if (timeout.isZero() || timeout.isNegative()) {
                throw InputException.invalid("timeout", "must be longer than zero (e.g. 30m)");
            }
            if (backup && mode != Mode.APPLY) {
                throw InputException.invalid("backup", "takes a snapshot before apply; it works only with mode: apply");
            }
            if (planHash != null && mode != Mode.APPLY) {
                throw InputException.invalid("plan-hash", "holds apply to an approved plan; it works only with mode: apply");
            }
            if (planHash != null && !planHash.matches("[0-9a-f]{64}")) {
                throw InputException.invalid("plan-hash", "must be the plan-hash output of a check (64 hex digits)");
            }
            if (mode == Mode.RESTORE && backupId == null) {
                throw InputException.invalid("backup-id", "is required with mode: restore (the backup-id output of"
                        + " the apply that took the snapshot)");
            }
            if (backupId != null && mode != Mode.RESTORE) {
                throw InputException.invalid("backup-id", "names the snapshot to restore; it works only with mode: restore");
            }
            if (backupId != null && !backupId.matches("gantry_backup_[0-9]{8}_[0-9]{6}(_[0-9]+)?")) {
                throw InputException.invalid("backup-id", "must be a snapshot schema such as gantry_backup_20260102_030405"
                        + " (the backup-id output of apply)");
            }
            return new Settings(this);
        }
    }
}
