/**
 * Reporting to GitHub: deployment records and statuses, one sticky comment per action and environment on the
 * pull request, and de-duplicated incident issues. Actions build a {@link dev.gantry.common.github.GitHubReporter}
 * with {@link dev.gantry.common.github.GitHubReporters#create} from {@code ctx.github()} and their
 * {@code github-token} input; see {@code README.md} beside this file for the permissions and the design decision
 * (our own Feign client instead of {@code org.kohsuke:github-api}).
 */
package dev.gantry.common.github;
