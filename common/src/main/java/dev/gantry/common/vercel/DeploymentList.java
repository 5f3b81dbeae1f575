package dev.gantry.common.vercel;

import java.util.List;

/** {@code GET /v6/deployments}: a page of deployments, newest first. */
public record DeploymentList(List<Deployment> deployments, Pagination pagination) {

    /** {@code next} is the {@code until} of the next page (ms), null on the last page. */
    public record Pagination(Integer count, Long next, Long prev) {
    }
}
