/**
 * DigitalOcean App Platform, as do-deploy and rollback use it.
 *
 * <ul>
 *   <li>{@link dev.gantry.common.digitalocean.AppsApi}: the endpoints (apps, deployments, logs, propose, rollback)
 *       as a Feign interface, with the bodies as records; {@link dev.gantry.common.digitalocean.App},
 *       {@link dev.gantry.common.digitalocean.Deployment} and {@link dev.gantry.common.digitalocean.AppSpec} (kept
 *       as its JSON tree so every field round-trips).</li>
 *   <li>{@link dev.gantry.common.digitalocean.AppPlatform}: lookups across pages, and the calls that create
 *       something (app, deployment, rollback, revert) with "check what exists before sending again", so a retry
 *       never makes a second app or deployment.</li>
 *   <li>{@link dev.gantry.common.digitalocean.DeploymentWatcher}: the wait for a deployment (deadline, phase and
 *       step lines, failing steps, failing components' logs, the stages' logs) shared by do-deploy and rollback.
 *       It polls on a {@code PollSchedule}: rarely until shortly before the deployment is due to end (judged from
 *       the progress steps and a reference deployment of the app), fast around that moment, within the rate
 *       limits. {@code PhaseTimeline} keeps how long each phase lasted.</li>
 *   <li>{@link dev.gantry.common.digitalocean.DeploymentLogs}: logs from presigned URLs, fetched without the
 *       token, only over https from DigitalOcean's hosts or the API's own origin, never through a redirect, the
 *       last 1 MiB kept.</li>
 * </ul>
 *
 * <p>Rollback in short: {@code platform.validateRollback(app, target, skipPin)}, then
 * {@code platform.rollback(app, target, skipPin)} (a new deployment, cause {@code MANUAL_ROLLBACK}), then
 * {@code watcher.watch(app, deployment.id())}; when pinned, {@code commitRollback} or {@code revertRollback}.
 * Candidates come from {@code platform.listDeployments(app, n)} (newest first; a good target was
 * {@code SUPERSEDED} after being live).
 */
package dev.gantry.common.digitalocean;
