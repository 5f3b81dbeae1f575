/**
 * The Vercel REST API as our actions use it (research: {@code ../shared/research/vercel.md}).
 *
 * <ul>
 *   <li>{@link dev.gantry.common.vercel.VercelApi}: the operations, on their documented paths, as a Feign
 *       interface; {@link dev.gantry.common.vercel.VercelClient} on top: create with {@code missing_files},
 *       "check, then retry" for a lost create, alias 409, promote and rollback as asynchronous jobs, listing with
 *       {@code until} pagination.</li>
 *   <li>{@link dev.gantry.common.vercel.ProjectLink}: which project a folder is linked to ({@code .vercel/project.json}
 *       or the repository's {@code .vercel/repo.json}), for vercel-deploy and rollback alike.</li>
 *   <li>{@link dev.gantry.common.vercel.FileTree} and {@link dev.gantry.common.vercel.IgnoreRules}: which files a
 *       deploy sends (the CLI's rules, empty folders included, plus our refusals: symlink escapes, real {@code .env}
 *       files).</li>
 *   <li>{@link dev.gantry.common.vercel.FileHasher} (parallel SHA-1, dedupe), {@link dev.gantry.common.vercel.Uploader}
 *       with {@link dev.gantry.common.vercel.UploadLimit} (adaptive or fixed concurrency, retries). The tgz archive
 *       lives in vercel-deploy, the one module that carries commons-compress.</li>
 *   <li>{@link dev.gantry.common.vercel.DeploymentWaiter} and {@link dev.gantry.common.vercel.EventStream}: the wait,
 *       on the CLI's polling schedule, with the events stream for logs and early wake-ups, always with a deadline.</li>
 * </ul>
 */
package dev.gantry.common.vercel;
