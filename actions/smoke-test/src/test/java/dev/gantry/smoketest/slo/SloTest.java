package dev.gantry.smoketest.slo;

import dev.gantry.smoketest.soak.LatencyHistogram;
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
    void evaluatesOverSamplesAndPrintsLikeK6() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 1; i <= 100; i++) h.record(i * 1000L); // 1..100 ms
        Samples s = new Samples(h, 100, 3, "soak, corrected");
        SloResult p95 = s.evaluate(Slo.parse("p(95)<800"));
        assertThat(p95.passed()).isTrue();
        assertThat(p95.measured()).isBetween(94.0, 96.0);
        assertThat(p95.line()).startsWith("✓ 'p(95)<800' p(95)=9").endsWith("ms");
        SloResult err = s.evaluate(Slo.parse("error-rate<0.02"));
        assertThat(err.passed()).isFalse();
        assertThat(err.line()).isEqualTo("✗ 'error-rate<0.02' error-rate=0.0300");
        assertThat(s.evaluate(Slo.parse("checkout: max<50")).line()).startsWith("✗ checkout: 'max<50' max=100");
        SloResult none = new Samples(new LatencyHistogram(), 0, 0, "checks").evaluate(Slo.parse("avg<1"));
        assertThat(none.passed()).as("no samples is no evidence, not a pass").isFalse();
        assertThat(none.value()).isEqualTo("no samples");
    }
}
