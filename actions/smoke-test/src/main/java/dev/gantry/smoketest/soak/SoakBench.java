package dev.gantry.smoketest.soak;

import dev.gantry.common.action.Log;
import dev.gantry.checks.Check;
import dev.gantry.checks.CheckRunner;
import dev.gantry.checks.RenderedRequest;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The soak without the action around it, for {@code bench/soak}: {@code SoakBench URL RATE SECONDS WARMUP
 * MAX_IN_FLIGHT [nio|jdk]} runs one GET soak (with the lean NIO client, or java.net.http) and prints one
 * {@code key=value} line.
 */
public final class SoakBench {
    private SoakBench() {
    }

    public static void main(String[] args) {
        if (args.length != 5 && args.length != 6) {
            System.err.println("usage: SoakBench URL RATE SECONDS WARMUP_SECONDS MAX_IN_FLIGHT [nio|jdk]");
            System.exit(2);
        }
        URI url = URI.create(args[0]);
        RenderedRequest req = new RenderedRequest("bench", "GET", url, Map.of("User-Agent", CheckRunner.USER_AGENT), null,
                url.getRawPath());
        SoakPlan plan = new SoakPlan(Double.parseDouble(args[1]), Duration.ofSeconds(Long.parseLong(args[3])),
                Duration.ofSeconds(Long.parseLong(args[2])), Integer.parseInt(args[4]), Duration.ofSeconds(5),
                List.of(new SoakPlan.Target("bench", 1, req, Check.DEFAULT_STATUS)));
        boolean jdk = args.length == 6 && args[5].equals("jdk");
        SoakResult r = Soak.run(plan, new Log(System.err, false), 5_000_000_000L,
                jdk ? new HttpClientEngine() : new NioEngine());
        System.out.println(String.format(Locale.ROOT,
                "engine=%s target=%.0f achieved=%.0f lag_p99_ms=%.2f lag_max_ms=%.2f p50_ms=%.3f p99_ms=%.3f max_ms=%.1f"
                        + " u_p50_ms=%.3f u_p99_ms=%.3f requests=%d sent=%d errors=%d missed=%d cpu_ms_per_1000=%.1f saturated=%s",
                r.engine(), r.targetRps(), r.achievedRps(), r.lagP99Ms(), r.lagMaxMs(), r.overall().p(50), r.overall().p(99),
                r.overall().max(), r.overall().uncorrectedP(50), r.overall().uncorrectedP(99), r.overall().count(), r.measuredSent() + r.warmupSent(),
                r.overall().errors(), r.missed(), r.cpuMillisPer1000(), r.saturated()));
    }
}
