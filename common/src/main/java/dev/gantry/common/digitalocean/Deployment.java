package dev.gantry.common.digitalocean;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A deployment of an app ({@code models/apps_deployment.yml}). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Deployment(String id, String cause, CauseDetails causeDetails, String clonedFrom, Phase phase,
                         String phaseLastUpdatedAt, Progress progress, AppSpec spec,
                         String createdAt, String updatedAt, List<ComponentRef> services,
                         List<ComponentRef> staticSites, List<ComponentRef> workers, List<ComponentRef> jobs,
                         List<ComponentRef> functions) {

    public Phase phaseOrUnknown() {
        return phase == null ? Phase.UNKNOWN : phase;
    }

    public Deployment withoutSpec() {
        return new Deployment(id, cause, causeDetails, clonedFrom, phase, phaseLastUpdatedAt, progress, null,
                createdAt, updatedAt, services, staticSites, workers, jobs, functions);
    }

    /** {@code BUILDING 3/7}: the phase and the finished steps out of all. */
    public String describe() {
        String p = phaseOrUnknown().name();
        if (progress == null || progress.total() == 0) return p;
        return p + " " + progress.success() + "/" + progress.total()
                + (progress.errors() > 0 ? " (" + progress.errors() + " failed)" : "");
    }

    /**
     * The phase of a deployment. Normal path {@code PENDING_BUILD → BUILDING → PENDING_DEPLOY → DEPLOYING →
     * ACTIVE}; image-only deployments skip the build. Only {@code ACTIVE} is success.
     */
    public enum Phase {
        UNKNOWN, PENDING_BUILD, BUILDING, PENDING_DEPLOY, DEPLOYING, ACTIVE, SUPERSEDED, ERROR, CANCELED;

        @JsonCreator
        public static Phase of(String s) {
            return lenient(Phase.class, s, UNKNOWN);
        }

        public boolean isTerminal() {
            return this == ACTIVE || this == SUPERSEDED || this == ERROR || this == CANCELED;
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CauseDetails(String type, DigitalOceanUserAction digitaloceanUserAction) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record DigitalOceanUserAction(String name) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ComponentRef(String name, String sourceCommitHash) {
    }

    /** Step counters (omitted by the API when 0) and the step tree. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Progress(Integer pendingSteps, Integer runningSteps, Integer successSteps, Integer errorSteps,
                           Integer totalSteps, List<Step> steps, List<Step> summarySteps) {
        public int total() {
            return totalSteps == null ? 0 : totalSteps;
        }

        public int success() {
            return successSteps == null ? 0 : successSteps;
        }

        public int errors() {
            return errorSteps == null ? 0 : errorSteps;
        }

        /** The leaf steps that failed, each with the path of step names from the root ({@code build › web}). */
        public List<FailedStep> failedSteps() {
            List<FailedStep> out = new ArrayList<>();
            if (steps != null) {
                for (Step s : steps) collect(s, s.name(), s.componentName(), out);
            }
            return out;
        }

        private static void collect(Step s, String path, String component, List<FailedStep> out) {
            String comp = s.componentName() != null && !s.componentName().isBlank() ? s.componentName() : component;
            boolean hasChildren = s.steps() != null && !s.steps().isEmpty();
            boolean childFailed = false;
            if (hasChildren) {
                for (Step c : s.steps()) {
                    int before = out.size();
                    collect(c, path + " › " + c.name(), comp, out);
                    childFailed |= out.size() > before;
                }
            }
            if (!childFailed && s.status() == StepStatus.ERROR) {
                out.add(new FailedStep(path, stage(path), comp, s.reason()));
            }
        }

        private static String stage(String path) {
            String root = path.contains(" › ") ? path.substring(0, path.indexOf(" › ")) : path;
            return root.toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A failed leaf step. {@code stage} is the root step's name ({@code build} or {@code deploy}), which tells which
     * logs to read.
     */
    public record FailedStep(String path, String stage, String component, Reason reason) {
        public String message() {
            return reason == null || reason.message() == null ? "(no reason given)" : reason.message();
        }

        public String logType() {
            return stage.startsWith("build") ? "BUILD" : "DEPLOY";
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Step(String name, StepStatus status, List<Step> steps, String startedAt,
                       String endedAt, Reason reason, String componentName, String messageBase) {
    }

    public enum StepStatus {
        UNKNOWN, PENDING, RUNNING, ERROR, SUCCESS;

        @JsonCreator
        public static StepStatus of(String s) {
            return lenient(StepStatus.class, s, UNKNOWN);
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Reason(String code, String message) {
    }

    /** A wire value as an enum constant, case-insensitively; {@code fallback} for null or a value we do not know. */
    private static <E extends Enum<E>> E lenient(Class<E> type, String s, E fallback) {
        if (s == null) return fallback;
        try {
            return Enum.valueOf(type, s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }
}
