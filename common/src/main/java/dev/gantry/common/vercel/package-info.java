/**
 * The Vercel REST API as our actions use it (research: {@code ../shared/research/vercel.md}).
 *
 * <ul>
 *   <li>{@link dev.gantry.common.vercel.VercelApi}: the operations, on their documented paths, as a Feign
 *       interface; {@link dev.gantry.common.vercel.VercelClient} on top: create with {@code missing_files},
 *       "check, then retry" for a lost create, alias 409, promote and rollback as asynchronous jobs, listing with
 *       {@code until} pagination.</li>
 *   <li>{@link dev.gantry.common.vercel.FileTree} and {@link dev.gantry.common.vercel.IgnoreRules}: which files a
 *       deploy sends (the CLI's rules, plus our refusals: symlink escapes, {@code .env} files).</li>
 *   <li>{@link dev.gantry.common.vercel.FileHasher} (parallel SHA-1, dedupe), {@link dev.gantry.common.vercel.Uploader}
 *       (bounded concurrency, retries), {@link dev.gantry.common.vercel.TgzArchive} ({@code archive: tgz}).</li>
 *   <li>{@link dev.gantry.common.vercel.DeploymentWaiter} and {@link dev.gantry.common.vercel.EventStream}: the wait,
 *       on the CLI's polling schedule, with the events stream for logs and early wake-ups, always with a deadline.</li>
 * </ul>
 */
package dev.gantry.common.vercel;
