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
 *   <li>{@link dev.gantry.common.digitalocean.DeploymentWatcher}: the wait for a deployment (deadline, backoff,
 *       phase and step lines, failing steps, failing components' logs) shared by do-deploy and rollback.</li>
 *   <li>{@link dev.gantry.common.digitalocean.DeploymentLogs}: logs from presigned URLs, fetched without the
 *       token.</li>
 * </ul>
 *
 * <p>Rollback in short: {@code platform.validateRollback(app, target, skipPin)}, then
 * {@code platform.rollback(app, target, skipPin)} (a new deployment, cause {@code MANUAL_ROLLBACK}), then
 * {@code watcher.watch(app, deployment.id())}; when pinned, {@code commitRollback} or {@code revertRollback}.
 * Candidates come from {@code platform.listDeployments(app, n)} (newest first; a good target was
 * {@code SUPERSEDED} after being live).
 */
package dev.gantry.common.digitalocean;
