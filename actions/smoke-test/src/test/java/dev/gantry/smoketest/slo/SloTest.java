package dev.gantry.smoketest.slo;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SloTest {

    @Test
    void parsesK6ThresholdGrammar() {
        Slo p95 = Slo.parse("p(95)<800");
        assertThat(p95.metric()).isEqualTo(Slo.Metric.PERCENTILE);
        assertThat(p95.percentile()).isEqualTo(95);
        assertThat(p95.op()).isEqualTo(Slo.Op.LT);
        assertThat(p95.threshold()).isEqualTo(800);
        assertThat(Slo.parse("p(99.9) <= 1.5s").threshold()).isEqualTo(1500);
        assertThat(Slo.parse("p(99.9) <= 1.5s").metricName()).isEqualTo("p(99.9)");
        assertThat(Slo.parse("avg<200").metric()).isEqualTo(Slo.Metric.AVG);
        assertThat(Slo.parse("med < 100ms").metric()).isEqualTo(Slo.Metric.MED);
        assertThat(Slo.parse("max>=0").op()).isEqualTo(Slo.Op.GE);
        assertThat(Slo.parse("min===3").op()).isEqualTo(Slo.Op.EQ);
        assertThat(Slo.parse("error-rate<0.02").threshold()).isEqualTo(0.02);
        assertThat(Slo.parse("error-rate<2%").threshold()).isEqualTo(0.02);
        Slo login = Slo.parse("login: p(95)<300");
        assertThat(login.check()).isEqualTo("login");
        assertThat(login.expression()).isEqualTo("p(95)<300");
    }

    @Test
    void statusSharesAreRates() {
        Slo s = Slo.parse("5xx<2%");
        assertThat(s.metric()).isEqualTo(Slo.Metric.STATUS);
        assertThat(s.metricName()).isEqualTo("5xx");
        assertThat(s.threshold()).isEqualTo(0.02);
        assertThat(s.countsStatus(503)).isTrue();
        assertThat(s.countsStatus(0)).as("no answer at all is the server failing too").isTrue();
        assertThat(s.countsStatus(404)).isFalse();
        Slo one = Slo.parse("read: 429 <= 0.01");
        assertThat(one.check()).isEqualTo("read");
        assertThat(one.countsStatus(429)).isTrue();
        assertThat(one.countsStatus(0)).isFalse();
        assertThat(one.countsStatus(428)).isFalse();
        assertThatThrownBy(() -> Slo.parse("5xx<2s")).hasMessageContaining("5xx is a fraction");
        assertThatThrownBy(() -> Slo.parse("5xx<3")).hasMessageContaining("between 0 and 1");
    }

    @Test
    void parseAllSplitsLinesAndCommasKeepingTheCheckPrefix() {
        List<Slo> all = Slo.parseAll(List.of("p(95)<800, p(99)<1500", "read: p(95)<300, error-rate<1%"));
        assertThat(all).extracting(Slo::text).containsExactly("p(95)<800", "p(99)<1500", "read: p(95)<300", "read: error-rate<1%");
    }

    @Test
    void mistakesSayWhatIsWrong() {
        assertThatThrownBy(() -> Slo.parse("p95<800")).hasMessageContaining("write percentiles as p(95)");
        assertThatThrownBy(() -> Slo.parse("rate<0.1")).hasMessageContaining("use error-rate");
        assertThatThrownBy(() -> Slo.parse("avg 200")).hasMessageContaining("missing a comparison");
        assertThatThrownBy(() -> Slo.parse("p(0)<1")).hasMessageContaining("above 0");
        assertThatThrownBy(() -> Slo.parse("p(101)<1")).hasMessageContaining("at most 100");
        assertThatThrownBy(() -> Slo.parse("error-rate<2s")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> Slo.parse("error-rate<2")).hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> Slo.parse("avg<5%")).hasMessageContaining("not %");
        assertThatThrownBy(() -> Slo.parse("p(95)<800 and more")).isInstanceOf(Slo.SloSyntaxException.class);
    }

    @Test
    void aGateNeedsEnoughSamplesToMeanSomething() {
        assertThat(Slo.parse("p(95)<800").minSamples()).isEqualTo(20);
        assertThat(Slo.parse("p(99)<800").minSamples()).isEqualTo(100);
        assertThat(Slo.parse("p(99.9)<800").minSamples()).isEqualTo(1000);
        assertThat(Slo.parse("p(100)<800").minSamples()).isEqualTo(1);
        assertThat(Slo.parse("med<800").minSamples()).isEqualTo(2);
        assertThat(Slo.parse("max<800").minSamples()).isEqualTo(1);
        assertThat(Slo.parse("error-rate<0.02").minSamples()).isEqualTo(50);
        assertThat(Slo.parse("5xx<2%").minSamples()).isEqualTo(50);
        assertThat(Slo.parse("error-rate==0").minSamples()).isEqualTo(1);
    }

    private static Histogram millis(int from, int to) {
        Histogram h = Samples.histogram();
        for (int i = from; i <= to; i++) h.recordValue(i * 1000L);
        return h;
    }

    @Test
    void evaluatesOverSamplesAndPrintsLikeK6() {
        Histogram h = millis(1, 100); // 1..100 ms
        long[] statuses = new long[Samples.STATUS_SLOTS];
        statuses[200] = 97;
        statuses[503] = 2;
        statuses[0] = 1;
        Samples s = new Samples(h, 100, 3, statuses, "soak, corrected");
        SloResult p95 = s.evaluate(Slo.parse("p(95)<800"), false, null);
        assertThat(p95.passed()).isTrue();
        assertThat(p95.measured()).isBetween(94.0, 96.0);
        assertThat(p95.line()).startsWith("✓ 'p(95)<800' p(95)=9").endsWith("ms");
        SloResult err = s.evaluate(Slo.parse("error-rate<0.02"), false, null);
        assertThat(err.failed()).isTrue();
        assertThat(err.line()).isEqualTo("✗ 'error-rate<0.02' error-rate=0.0300");
        assertThat(s.evaluate(Slo.parse("5xx<4%"), false, null).line()).isEqualTo("✓ '5xx<4%' 5xx=0.0300");
        assertThat(s.evaluate(Slo.parse("5xx<3%"), false, null).failed()).isTrue();
        assertThat(s.evaluate(Slo.parse("checkout: max<50"), false, null).line()).startsWith("✗ checkout: 'max<50' max=100");
    }

    @Test
    void tooFewSamplesIsNeverAPass() {
        // the failed run of issue 22: one 503, answered fast
        Histogram one = millis(12, 12);
        long[] statuses = new long[Samples.STATUS_SLOTS];
        statuses[503] = 1;
        SloResult r = new Samples(one, 1, 1, statuses, "checks").evaluate(Slo.parse("p(95)<800"), false, null);
        assertThat(r.status()).isEqualTo(SloResult.Status.TOO_FEW);
        assertThat(r.passed()).isFalse();
        assertThat(r.line()).matches("– 'p\\(95\\)<800' p\\(95\\)=12\\.0\\dms from 1 sample: too few to judge \\(it needs 20\\)");
        SloResult none = new Samples(Samples.histogram(), 0, 0, new long[Samples.STATUS_SLOTS], "checks")
                .evaluate(Slo.parse("avg<1"), false, null);
        assertThat(none.passed()).as("no samples is no evidence, not a pass").isFalse();
        assertThat(none.value()).isEqualTo("no samples");
    }

    @Test
    void theGeneratorsDelaysDecideOnlyWhereTheyCouldTipTheGate() {
        Histogram corrected = millis(300, 499);   // p(95) ~ 490 ms as measured, from the intended send times
        Histogram asSent = millis(100, 299);      // p(95) ~ 290 ms without the generator's schedule lag
        Histogram floor = millis(10, 209);        // p(95) ~ 200 ms without any of its delays
        Samples s = new Samples(corrected, asSent, floor, 200, 0, new long[Samples.STATUS_SLOTS], "soak, corrected");

        assertThat(s.evaluate(Slo.parse("p(95)<800"), false, "stalled").status())
                .as("holds as measured: a pass, however late the generator was").isEqualTo(SloResult.Status.PASSED);
        SloResult lagOnly = s.evaluate(Slo.parse("p(95)<400"), false, "stalled");
        assertThat(lagOnly.status()).as("missed as measured only by the schedule lag, which is the generator's alone")
                .isEqualTo(SloResult.Status.PASSED);
        assertThat(lagOnly.line()).matches("✓ 'p\\(95\\)<400' p\\(95\\)=4[89]\\d\\.\\d\\dms \\(2[89]\\d\\.\\d\\dms without the generator's schedule lag\\)");
        assertThat(s.evaluate(Slo.parse("p(95)<100"), false, "stalled").status())
                .as("fails even without the generator's delays: the app's").isEqualTo(SloResult.Status.FAILED);
        SloResult mid = s.evaluate(Slo.parse("p(95)<250"), false, "the machine kept the generator from running");
        assertThat(mid.status()).as("the generator could account for the miss").isEqualTo(SloResult.Status.UNDECIDED);
        assertThat(mid.line()).startsWith("? 'p(95)<250' p(95)=2").contains(" as sent, 19")
                .contains("without the generator's own delays: inconclusive (the machine kept");
        assertThat(s.evaluate(Slo.parse("p(95)<250"), false, null).status())
                .as("a generator that kept up: the gap is queueing behind slow answers, the app's").isEqualTo(SloResult.Status.FAILED);
    }
}
