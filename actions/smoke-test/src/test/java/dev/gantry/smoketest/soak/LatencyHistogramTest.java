package dev.gantry.smoketest.soak;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class LatencyHistogramTest {

    @Test
    void percentilesAreWithinOnePercentOfTheExactOnes() {
        Random r = new Random(7);
        long[] values = new long[100_000];
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < values.length; i++) {
            values[i] = (long) Math.exp(r.nextDouble() * Math.log(5_000_000)); // 1 µs .. 5 s, log-uniform
            h.record(values[i]);
        }
        Arrays.sort(values);
        for (double p : new double[]{50, 90, 95, 99, 99.9}) {
            long exact = values[(int) Math.ceil(p / 100 * values.length) - 1];
            assertThat((double) h.percentile(p)).as("p" + p).isCloseTo(exact, org.assertj.core.data.Percentage.withPercentage(1));
        }
        assertThat(h.max()).isEqualTo(values[values.length - 1]);
        assertThat(h.min()).isEqualTo(values[0]);
        assertThat(h.count()).isEqualTo(values.length);
    }

    @Test
    void bucketsAreContiguousAndSmallValuesExact() {
        for (long v = 0; v < 1_000_000; v += 37) {
            int i = LatencyHistogram.index(v);
            assertThat(LatencyHistogram.highest(i)).isGreaterThanOrEqualTo(v);
            if (i > 0) assertThat(LatencyHistogram.highest(i - 1)).isLessThan(v);
        }
        LatencyHistogram h = new LatencyHistogram();
        h.record(3);
        h.record(200);
        assertThat(h.percentile(50)).isEqualTo(3);
        assertThat(h.percentile(100)).isEqualTo(200);
    }
}
