import dev.gantry.actiontests.digitalocean.AppPlatformSimulator;
import dev.gantry.actiontests.harness.ActionRun;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * How soon do-deploy notices that a deployment has ended, and what it costs in requests: real do-deploy processes
 * (the classes of each variant, the image's JVM options) against App Platform simulators in real time, each answer
 * delayed as over a real network, phase lengths jittered run to run. Each (variant, deployment length) pair is one
 * stream of deploys of its own app on its own simulator; the streams run side by side.
 *
 * <p>Per deploy: notice latency = when the first answer showing the terminal phase reached the action (the
 * simulator's moment of answering plus the answer delay) minus when the deployment ended; exit = the process's exit
 * minus the end; requests = every request the run made (API and log downloads); peak = the most requests of the
 * stream in any 60 s.
 *
 * <p>Usage: java -cp TEST_CLASSPATH NoticeBench.java OUT.tsv DELAY_MS name=CLASSPATH... (each variant's classpath)
 * with RUNS_60S / RUNS_240S in the environment (default 9 and 3).
 */
public class NoticeBench {
    record Scenario(String name, Duration pendingBuild, Duration building, Duration pendingDeploy, Duration deploying,
                    int runs) {
        Duration total() {
            return pendingBuild.plus(building).plus(pendingDeploy).plus(deploying);
        }
    }

    record Sample(String variant, String scenario, int run, int exit, double noticeMs, double exitMs, int requests) {
    }

    static final String SPEC = """
            {"name": "shop-web", "region": "nyc", "services": [{"name": "web", "http_port": 8080,
              "github": {"repo": "acme/shop", "branch": "main", "deploy_on_push": false}}]}
            """;

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Duration delay = Duration.ofMillis(Long.parseLong(args[1]));
        List<String[]> variants = new ArrayList<>();
        for (int i = 2; i < args.length; i++) variants.add(args[i].split("=", 2));
        int runs60 = Integer.parseInt(System.getenv().getOrDefault("RUNS_60S", "9"));
        int runs240 = Integer.parseInt(System.getenv().getOrDefault("RUNS_240S", "3"));
        List<Scenario> scenarios = List.of(
                new Scenario("60 s", Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(20), runs60),
                new Scenario("4 min", Duration.ofSeconds(10), Duration.ofSeconds(150), Duration.ofSeconds(10), Duration.ofSeconds(70), runs240));

        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<List<Sample>>> streams = new ArrayList<>();
        List<Future<Integer>> peaks = new ArrayList<>();
        List<String> streamNames = new ArrayList<>();
        for (String[] v : variants) {
            for (Scenario s : scenarios) {
                AppPlatformSimulator sim = new AppPlatformSimulator().realTime().answerDelay(delay).phaseJitter(0.15)
                        .phaseDurations(s.pendingBuild(), s.building(), s.pendingDeploy(), s.deploying());
                streamNames.add(v[0] + "\t" + s.name());
                Future<List<Sample>> f = pool.submit(() -> stream(sim, v[0], v[1], s, delay));
                streams.add(f);
                peaks.add(pool.submit(() -> {
                    f.get();
                    int peak = peakPerMinute(sim);
                    sim.close();
                    return peak;
                }));
            }
        }
        StringBuilder tsv = new StringBuilder("variant\tscenario\trun\texit\tnotice_ms\texit_ms\trequests\n");
        StringBuilder peakTsv = new StringBuilder();
        for (int i = 0; i < streams.size(); i++) {
            for (Sample x : streams.get(i).get()) {
                tsv.append(x.variant()).append('\t').append(x.scenario()).append('\t').append(x.run()).append('\t')
                        .append(x.exit()).append('\t').append(Math.round(x.noticeMs())).append('\t')
                        .append(Math.round(x.exitMs())).append('\t').append(x.requests()).append('\n');
            }
            peakTsv.append("#peak\t").append(streamNames.get(i)).append('\t').append(peaks.get(i).get()).append('\n');
        }
        Files.writeString(out, tsv.append(peakTsv).toString());
        pool.shutdown();
    }

    /** {@code s.runs} deploys of one app, one after the other, each a do-deploy process of {@code classpath}. */
    static List<Sample> stream(AppPlatformSimulator sim, String variant, String classpath, Scenario s, Duration delay)
            throws Exception {
        sim.seedApp(SPEC);
        List<Sample> out = new ArrayList<>();
        for (int run = 1; run <= s.runs(); run++) {
            ActionRun action = ActionRun.of("do-deploy").with("token", AppPlatformSimulator.TOKEN)
                    .with("api-url", sim.baseUrl().toString()).with("app-name", "shop-web")
                    .with("github-deployment", "false").with("timeout", "15m");
            Map<String, String> env = action.environment();
            int requestsBefore = sim.requests().size();
            int endsBefore = sim.ends().size();
            ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-cp", classpath,
                    "dev.gantry.dodeploy.Main"));
            pb.environment().clear();
            pb.environment().putAll(env);
            File log = action.runDir().resolve("stdout.txt").toFile();
            pb.redirectErrorStream(true).redirectOutput(log);
            Process p = pb.start();
            if (!p.waitFor(20, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException(variant + " " + s.name() + " run " + run + " did not end; log " + log);
            }
            Instant exitedAt = sim.clock().instant();
            List<AppPlatformSimulator.End> ends = sim.ends();
            if (ends.size() <= endsBefore) throw new IllegalStateException("no deployment ended in run " + run + "; log " + log);
            AppPlatformSimulator.End e = ends.get(ends.size() - 1);
            double notice = Duration.between(e.endedAt(), e.firstShownAt().plus(delay)).toNanos() / 1e6;
            double exit = Duration.between(e.endedAt(), exitedAt).toNanos() / 1e6;
            out.add(new Sample(variant, s.name(), run, p.exitValue(), notice, exit, sim.requests().size() - requestsBefore));
            System.out.printf("%-7s %-6s run %d: exit %d, ended %s, noticed after %.0f ms, step over after %.0f ms, %d requests%n",
                    variant, s.name(), run, p.exitValue(), e.phase(), notice, exit, sim.requests().size() - requestsBefore);
        }
        return out;
    }

    /** The most requests the simulator received in any 60 s. */
    static int peakPerMinute(AppPlatformSimulator sim) {
        List<Instant> at = new ArrayList<>();
        sim.requests().forEach(r -> at.add(r.at()));
        Collections.sort(at);
        int peak = 0;
        for (int i = 0, j = 0; i < at.size(); i++) {
            while (Duration.between(at.get(j), at.get(i)).compareTo(Duration.ofSeconds(60)) > 0) j++;
            peak = Math.max(peak, i - j + 1);
        }
        return peak;
    }
}
