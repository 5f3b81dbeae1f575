package dev.gantry.actiontests.containers;

import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs an {@link ActionRun} in the action's image with the runner's {@code docker run}
 * ({@code DockerCommandManager.DockerRun}, research actions-runtime §1.2): {@code --workdir /github/workspace},
 * one {@code -e NAME} per variable with the value in the docker CLI's own environment, the runner's volume mounts,
 * and {@code --network host} (here the stand-in for the job network, so the container reaches loopback
 * simulators). Every environment value that is a host path under a mount is rewritten to the container path, most
 * specific mount first ({@code ContainerInfo.TranslateToContainerPath}). Results are read back from the mounted
 * files with {@link ActionRun#collect}.
 *
 * <p>Not mounted: {@code /var/run/docker.sock} (no Gantry action drives Docker, and a test has no reason to hand
 * its daemon to a container).
 */
public final class ContainerRun {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    /** A host directory and where the runner mounts it. */
    record Mount(Path host, String container) {
        String arg() {
            return host + ":" + container;
        }
    }

    private final ActionRun run;
    private final String image;

    private ContainerRun(ActionRun run, String image) {
        this.run = run;
        this.image = image;
    }

    /** {@code run} in the image its action.yml names (built from the Dockerfile on first use). */
    static ContainerRun of(ActionRun run) {
        return new ContainerRun(run, ActionImages.image(run.action()));
    }

    /** {@code run} in {@code image}, a reference the local daemon has (a published image, pulled). */
    public static ContainerRun of(ActionRun run, String image) {
        return new ContainerRun(run, image);
    }

    List<Mount> mounts() {
        Path d = run.runDir();
        return List.of(
                new Mount(d.resolve("runner_temp"), "/github/runner_temp"),
                new Mount(d.resolve("home"), "/github/home"),
                new Mount(d.resolve("workflow"), "/github/workflow"),
                new Mount(d.resolve("file_commands"), "/github/file_commands"),
                new Mount(run.workspace(), "/github/workspace"));
    }

    /** The runner's rewriting of host paths to container paths, most specific mount first. */
    static String translate(String value, List<Mount> mounts) {
        List<Mount> bySpecificity = new ArrayList<>(mounts);
        bySpecificity.sort(Comparator.comparingInt((Mount m) -> m.host().toString().length()).reversed());
        for (Mount m : bySpecificity) {
            String host = m.host().toString();
            if (value.equals(host)) return m.container();
            if (value.startsWith(host + "/")) return m.container() + value.substring(host.length());
        }
        return value;
    }

    /** The {@code docker run} arguments, in the runner's order, and the CLI environment holding the values. */
    record Command(List<String> args, Map<String, String> cliEnvironment, String name) {
    }

    Command command(Map<String, String> hostEnvironment) {
        List<Mount> mounts = mounts();
        String name = image.replaceAll("[^a-zA-Z0-9_.-]", "_") + "_" + HexFormat.of().toHexDigits(
                ThreadLocalRandom.current().nextInt()).substring(0, 6);
        List<String> args = new ArrayList<>(List.of("docker", "run", "--name", name,
                "--label", "dev.gantry.run-by=action-tests", "--workdir", "/github/workspace", "--rm"));
        Map<String, String> cliEnv = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : hostEnvironment.entrySet()) {
            args.add("-e");
            args.add(e.getKey());
            cliEnv.put(e.getKey(), translate(e.getValue(), mounts));
        }
        args.add("--network");
        args.add("host");
        for (Mount m : mounts) {
            args.add("-v");
            args.add(m.arg());
        }
        args.add(image);
        return new Command(List.copyOf(args), cliEnv, name);
    }

    /** Runs the container to completion and reads back what it left, as the runner would. */
    public ActionResult run() {
        Map<String, String> env = run.environment();
        Command c = command(env);
        Docker.Result r = Docker.run(c.args(), c.cliEnvironment(), TIMEOUT);
        if (r.exitCode() == 124) {
            Docker.run(List.of("docker", "rm", "-f", c.name()), Map.of(), Duration.ofSeconds(30));
        }
        for (String missing : MISSING_FROM_IMAGE) {
            if (r.output().contains(missing)) {
                throw new AssertionError("the image " + image + " lacks a class or native library its code needs ("
                        + missing + "): see common/image/jre-modules and the files common/image/runtime.sh removes\n" + r.output());
            }
        }
        return ActionRun.collect(r.exitCode(), r.output(), env);
    }

    /** What the JVM reports when the jlink'ed runtime lacks a module or a native library. */
    private static final List<String> MISSING_FROM_IMAGE = List.of("NoClassDefFoundError", "ClassNotFoundException",
            "UnsatisfiedLinkError");
}
