package dev.gantry.rollback;

import dev.gantry.common.vercel.ProjectLink;
import dev.gantry.common.action.InputException;
import dev.gantry.common.github.GitHubReporters;
import dev.gantry.common.http.BaseUrl;
import dev.gantry.checks.CheckSuite;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Everything the inputs said, checked: a value that cannot exist invalid. {@link Builder} takes the inputs by
 * name; {@link Builder#build()} applies the defaults and every rule that involves more than one input (the
 * provider's credentials and app, commit vs revert, undo only on Vercel, verify-checks only with verify-url, ...),
 * each failure an {@link InputException} naming the input. {@code target} is empty for an automatic choice;
 * {@code checks} is null when there is no {@code verify-url}; {@code verifySecrets} are masked already.
 */
final class Settings {
    static final String DIGITALOCEAN_API = "https://api.digitalocean.com";
    static final String VERCEL_API = "https://api.vercel.com";

    /** When to open (or comment on) the incident issue. */
    enum Incident {
        ALWAYS, ON_FAILURE, NEVER;

        static Incident of(String input) {
            return switch (input) {
                case "false" -> NEVER;
                case "on-failure" -> ON_FAILURE;
                default -> ALWAYS;
            };
        }
    }

    private final String provider;
    private final URI apiUrl;
    private final String token;
    private final String appName;
    private final String appId;
    private final String vercelToken;
    private final String vercelOrgId;
    private final String vercelProjectId;
    private final String target;
    private final String reason;
    private final Duration timeout;
    private final boolean dryRun;
    private final boolean commit;
    private final boolean revert;
    private final boolean undo;
    private final URI verifyUrl;
    private final CheckSuite checks;
    private final Map<String, String> verifySecrets;
    private final Duration verifyTimeout;
    private final Incident incident;
    private final String githubToken;
    private final String environment;
    private final String productionEnvironment;

    private Settings(Builder b, String orgId, String projectId, CheckSuite checks) {
        this.provider = b.provider;
        this.apiUrl = BaseUrl.check("api-url", b.apiUrl != null ? b.apiUrl
                : URI.create(b.digitalocean() ? DIGITALOCEAN_API : VERCEL_API));
        this.token = b.token;
        this.appName = b.appName;
        this.appId = b.appId;
        this.vercelToken = b.vercelToken;
        this.vercelOrgId = orgId;
        this.vercelProjectId = projectId;
        this.target = b.target;
        this.reason = b.reason;
        this.timeout = b.timeout;
        this.dryRun = b.dryRun;
        this.commit = b.commit;
        this.revert = b.revert;
        this.undo = b.undo;
        this.verifyUrl = b.verifyUrl;
        this.checks = checks;
        this.verifySecrets = Map.copyOf(b.verifySecrets);
        this.verifyTimeout = b.verifyTimeout;
        this.incident = Incident.of(b.incident);
        this.githubToken = b.githubToken;
        this.environment = b.environment;
        this.productionEnvironment = b.productionEnvironment.isEmpty() ? GitHubReporters.PRODUCTION
                : b.productionEnvironment;
    }

    static Builder builder(String provider) {
        return new Builder(provider);
    }

    String provider() {
        return provider;
    }

    boolean digitalocean() {
        return provider.equals("digitalocean");
    }

    URI apiUrl() {
        return apiUrl;
    }

    /** DigitalOcean: the API token, the app by name or by id (one of them). */
    String token() {
        return token;
    }

    String appName() {
        return appName;
    }

    String appId() {
        return appId;
    }

    /** Vercel: the token, the team (empty for a personal account) and the project. */
    String vercelToken() {
        return vercelToken;
    }

    String vercelOrgId() {
        return vercelOrgId;
    }

    String vercelProjectId() {
        return vercelProjectId;
    }

    String target() {
        return target;
    }

    String reason() {
        return reason;
    }

    boolean hasReason() {
        return reason != null && !reason.isBlank();
    }

    Duration timeout() {
        return timeout;
    }

    boolean dryRun() {
        return dryRun;
    }

    boolean commit() {
        return commit;
    }

    boolean revert() {
        return revert;
    }

    boolean undo() {
        return undo;
    }

    URI verifyUrl() {
        return verifyUrl;
    }

    CheckSuite checks() {
        return checks;
    }

    Map<String, String> verifySecrets() {
        return verifySecrets;
    }

    Duration verifyTimeout() {
        return verifyTimeout;
    }

    Incident incident() {
        return incident;
    }

    String githubToken() {
        return githubToken;
    }

    /** The {@code environment} input; empty for the provider's default. */
    String environment() {
        return environment;
    }

    /** The GitHub environment that is production (its records say {@code production_environment: true}). */
    String productionEnvironment() {
        return productionEnvironment;
    }

    /** The inputs by name; {@link #build()} checks them together. */
    static final class Builder {
        private final String provider;
        private URI apiUrl;
        private String token = "";
        private String appName = "";
        private String appId = "";
        private String vercelToken = "";
        private String vercelOrgId = "";
        private String vercelProjectId = "";
        private Supplier<ProjectLink> linkedProject = () -> null;
        private String target = "";
        private String reason = "";
        private Duration timeout = Duration.ofMinutes(10);
        private boolean dryRun;
        private boolean commit;
        private boolean revert;
        private boolean undo;
        private URI verifyUrl;
        private String verifyChecks = "";
        private Function<String, CheckSuite> checksParser = raw -> {
            if (raw.isEmpty()) return CheckSuite.defaultSuite();
            throw new IllegalStateException("verify-checks needs a parser");
        };
        private Map<String, String> verifySecrets = Map.of();
        private Duration verifyTimeout = Duration.ofMinutes(2);
        private String incident = "true";
        private String githubToken = "";
        private String environment = "";
        private String productionEnvironment = "";

        private Builder(String provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
        }

        private boolean digitalocean() {
            return provider.equals("digitalocean");
        }

        /** The {@code api-url} input; null for the provider's own. */
        Builder apiUrl(URI url) {
            this.apiUrl = url;
            return this;
        }

        Builder digitalOcean(String token, String appName, String appId) {
            this.token = token;
            this.appName = appName;
            this.appId = appId;
            return this;
        }

        /**
         * Vercel's token, team and project; {@code linkedProject} gives {@code .vercel/project.json} (or null) and
         * is read only when the team or the project input is empty.
         */
        Builder vercel(String token, String orgId, String projectId, Supplier<ProjectLink> linkedProject) {
            this.vercelToken = token;
            this.vercelOrgId = orgId;
            this.vercelProjectId = projectId;
            this.linkedProject = linkedProject;
            return this;
        }

        Builder target(String target) {
            this.target = target;
            return this;
        }

        Builder reason(String reason) {
            this.reason = reason;
            return this;
        }

        Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        Builder dryRun(boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        Builder commit(boolean commit) {
            this.commit = commit;
            return this;
        }

        Builder revert(boolean revert) {
            this.revert = revert;
            return this;
        }

        Builder undo(boolean undo) {
            this.undo = undo;
            return this;
        }

        /** {@code checks}: the verify-checks input, parsed by {@code parser} only when there is a URL to verify. */
        Builder verify(URI url, String checks, Function<String, CheckSuite> parser, Map<String, String> secrets,
                       Duration waitTimeout) {
            this.verifyUrl = url;
            this.verifyChecks = checks;
            this.checksParser = parser;
            this.verifySecrets = secrets;
            this.verifyTimeout = waitTimeout;
            return this;
        }

        /** {@code true}, {@code false} or {@code on-failure}. */
        Builder incident(String incident) {
            this.incident = incident;
            return this;
        }

        Builder github(String token, String environment, String productionEnvironment) {
            this.githubToken = token;
            this.environment = environment;
            this.productionEnvironment = productionEnvironment;
            return this;
        }

        /** The settings, or an {@link InputException} naming the first input that does not fit the others. */
        Settings build() {
            if (timeout.isZero() || timeout.isNegative()) throw InputException.invalid("timeout", "must be longer than 0");
            if (verifyTimeout.isNegative()) throw InputException.invalid("verify-timeout", "must not be negative");
            if (digitalocean()) {
                checkDigitalOcean();
            } else {
                checkVercel();
            }
            if (verifyUrl == null && !verifyChecks.isEmpty()) {
                throw InputException.invalid("verify-checks", "is set but verify-url is empty; give the URL to verify");
            }
            String orgId = vercelOrgId;
            String projectId = vercelProjectId;
            if (!digitalocean() && (projectId.isEmpty() || orgId.isEmpty())) {
                ProjectLink linked = linkedProject.get();
                if (linked != null) {
                    if (projectId.isEmpty()) projectId = linked.projectId();
                    if (orgId.isEmpty() && linked.teamId() != null) orgId = linked.teamId();
                }
                if (projectId.isEmpty()) {
                    throw new InputException("vercel-project-id", "Input required and not supplied: vercel-project-id "
                            + "(and there is no .vercel/project.json in working-directory, nor a .vercel/repo.json entry "
                            + "for it)");
                }
            }
            CheckSuite checks = verifyUrl == null ? null : checksParser.apply(verifyChecks);
            return new Settings(this, orgId, projectId, checks);
        }

        private void checkDigitalOcean() {
            if (token.isEmpty()) throw new InputException("token", "Input required and not supplied: token (the "
                    + "DigitalOcean API token, for provider digitalocean)");
            if (appName.isEmpty() == appId.isEmpty()) {
                throw InputException.invalid(appName.isEmpty() ? "app-name" : "app-id", appName.isEmpty()
                        ? "or app-id must name the app to roll back" : "and app-name are both set; set one of them");
            }
            if (undo) throw InputException.invalid("undo", "is for provider vercel; on DigitalOcean use revert: true");
            if (commit && revert) throw InputException.invalid("revert", "and commit are both true; choose one");
            if (revert && !target.isEmpty()) {
                throw InputException.invalid("target", "must be empty with revert: true (a revert goes back to the "
                        + "spec from before the pinned rollback)");
            }
        }

        private void checkVercel() {
            if (vercelToken.isEmpty()) throw new InputException("vercel-token", "Input required and not supplied: "
                    + "vercel-token (for provider vercel)");
            if (commit) throw InputException.invalid("commit", "is for provider digitalocean (Vercel rollbacks are not pinned)");
            if (revert) throw InputException.invalid("revert", "is for provider digitalocean; on Vercel use undo: true");
        }
    }
}
