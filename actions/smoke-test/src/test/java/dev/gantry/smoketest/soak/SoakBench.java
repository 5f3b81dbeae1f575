package dev.gantry.smoketest.soak;

import dev.gantry.checks.Check;
import dev.gantry.checks.CheckRunner;
import dev.gantry.checks.RenderedRequest;
import dev.gantry.common.action.Log;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The soak without the action around it, for {@code bench/soak/run.sh} (test code: it is no part of the action):
 * {@code SoakBench URL RATE SECONDS WARMUP MAX_IN_FLIGHT} runs one GET soak and prints one {@code key=value} line.
 * An https URL is verified against the JDK's trust store, or the one {@code -Djavax.net.ssl.trustStore} names.
 */
public final class SoakBench {
    private SoakBench() {
    }

    public static void main(String[] args) {
        if (args.length != 5) {
            System.err.println("usage: SoakBench URL RATE SECONDS WARMUP_SECONDS MAX_IN_FLIGHT");
            System.exit(2);
        }
        URI url = URI.create(args[0]);
        RenderedRequest req = new RenderedRequest("bench", "GET", url, Map.of("User-Agent", CheckRunner.USER_AGENT), null,
                url.getRawPath());
        SoakPlan plan = new SoakPlan(Double.parseDouble(args[1]), Duration.ofSeconds(Long.parseLong(args[3])),
                Duration.ofSeconds(Long.parseLong(args[2])), Integer.parseInt(args[4]), Duration.ofSeconds(5),
                List.of(new SoakPlan.Target("bench", 1, req, Check.DEFAULT_STATUS)));
        SoakResult r = Soak.run(plan, new Log(System.err, false), 5_000_000_000L, System::nanoTime);
        SoakResult.Generator g = r.generator();
        System.out.println(String.format(Locale.ROOT,
                "engine=%s target=%.0f achieved=%.0f lag_p99_ms=%.2f lag_max_ms=%.2f slot_wait_p99_ms=%.2f stall_p99_ms=%.2f"
                        + " loop_busy=%.2f p50_ms=%.3f p99_ms=%.3f max_ms=%.1f u_p50_ms=%.3f u_p99_ms=%.3f f_p50_ms=%.3f f_p99_ms=%.3f"
                        + " requests=%d sent=%d errors=%d missed=%d cpu_ms_per_1000=%.1f kept_up=%s shortfall=%s",
                r.engine(), r.targetRps(), r.achievedRps(), g.lagP99Ms(), g.lagMaxMs(), g.slotWaitP99Ms(), g.stallP99Ms(),
                g.loopBusy(), r.overall().p(50), r.overall().p(99), r.overall().max(), r.overall().uncorrectedP(50),
                r.overall().uncorrectedP(99), r.overall().floorP(50), r.overall().floorP(99), r.overall().count(),
                r.measuredSent() + r.warmupSent(), r.overall().errors(), r.missed(), g.cpuMillisPer1000(), g.keptUp(),
                r.rateShortfall()));
        if (!r.errorReasons().isEmpty()) System.err.println("errors: " + r.errorReasons());
    }
}
