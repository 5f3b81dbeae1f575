package dev.gantry.smoketest.report;

import dev.gantry.checks.CheckOutcome;
import dev.gantry.smoketest.slo.SloResult;
import dev.gantry.smoketest.soak.SoakResult;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The JUnit XML report (the schema CI test reporters read: {@code testsuites/testsuite/testcase} with
 * {@code failure}, {@code error}, {@code skipped}): suite {@code smoke-test.checks} has one testcase per check
 * (an assertion failure is a {@code failure}, no response or a broken check an {@code error}); suite
 * {@code smoke-test.slo} has one testcase per SLO gate (a failed gate is a {@code failure}; one the run could not
 * decide, or judged on too few samples, an {@code error} of type {@code inconclusive}; one not judged at all is
 * {@code skipped}), plus one for the load generator when a soak ran (an {@code error} when the rate was not
 * reached or a gate was undecided because of it; {@code skipped} with the reason when it fell behind and no gate
 * depended on that), and the soak's numbers as properties. All text goes through {@code mask} first.
 */
public final class JUnitReport {
    private JUnitReport() {
    }

    public static void write(Path file, String checksFile, List<CheckOutcome> checks, List<SloResult> slos,
                             SoakResult soak, Instant startedAt, UnaryOperator<String> mask) {
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
                write(w, checksFile, checks, slos, soak, startedAt, mask);
                w.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the JUnit report to " + file + ": " + e.getMessage(), e);
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write the JUnit report: " + e.getMessage(), e);
        }
    }

    private static void write(XMLStreamWriter w, String checksFile, List<CheckOutcome> checks, List<SloResult> slos,
                              SoakResult soak, Instant startedAt, UnaryOperator<String> mask) throws XMLStreamException {
        int checkFailures = (int) checks.stream().filter(c -> c.failed() && c.failureKind() == CheckOutcome.FailureKind.ASSERTION).count();
        int checkErrors = (int) checks.stream().filter(c -> c.failed() && c.failureKind() != CheckOutcome.FailureKind.ASSERTION).count();
        int skipped = (int) checks.stream().filter(c -> c.status() == CheckOutcome.Status.SKIPPED).count();
        int sloFailures = (int) slos.stream().filter(SloResult::failed).count();
        boolean undecided = slos.stream().anyMatch(s -> s.status() == SloResult.Status.UNDECIDED);
        boolean generatorError = soak != null && (soak.rateShortfall() || undecided);
        int sloErrors = (int) slos.stream().filter(s -> s.status() == SloResult.Status.UNDECIDED
                || s.status() == SloResult.Status.TOO_FEW).count() + (generatorError ? 1 : 0);
        int sloSkipped = (int) slos.stream().filter(s -> s.status() == SloResult.Status.NOT_EVALUATED).count()
                + (soak != null && soak.saturated() && !generatorError ? 1 : 0);
        int sloTests = slos.size() + (soak != null ? 1 : 0);
        double checkTime = checks.stream().mapToLong(CheckOutcome::durationMillis).sum() / 1000.0;
        double soakTime = soak == null ? 0 : soak.durationSeconds();
        String timestamp = startedAt.truncatedTo(ChronoUnit.SECONDS).toString();

        w.writeStartDocument("UTF-8", "1.0");
        w.writeCharacters("\n");
        w.writeStartElement("testsuites");
        attr(w, "name", "smoke-test");
        attr(w, "tests", checks.size() + sloTests);
        attr(w, "failures", checkFailures + sloFailures);
        attr(w, "errors", checkErrors + sloErrors);
        attr(w, "skipped", skipped + sloSkipped);
        attr(w, "time", seconds(checkTime + soakTime));
        w.writeCharacters("\n  ");

        w.writeStartElement("testsuite");
        attr(w, "name", "smoke-test.checks");
        attr(w, "tests", checks.size());
        attr(w, "failures", checkFailures);
        attr(w, "errors", checkErrors);
        attr(w, "skipped", skipped);
        attr(w, "time", seconds(checkTime));
        attr(w, "timestamp", timestamp);
        for (CheckOutcome c : checks) {
            w.writeCharacters("\n    ");
            w.writeStartElement("testcase");
            attr(w, "classname", "smoke-test.checks");
            attr(w, "name", c.name());
            attr(w, "time", seconds(c.durationMillis() / 1000.0));
            if (checksFile != null && c.line() > 0) {
                attr(w, "file", checksFile);
                attr(w, "line", c.line());
            }
            switch (c.status()) {
                case PASSED -> {
                }
                case SKIPPED -> {
                    w.writeStartElement("skipped");
                    attr(w, "message", mask.apply(c.message()));
                    w.writeEndElement();
                }
                case FAILED -> {
                    w.writeStartElement(c.failureKind() == CheckOutcome.FailureKind.ASSERTION ? "failure" : "error");
                    attr(w, "message", mask.apply(c.message()));
                    attr(w, "type", c.failureKind().name().toLowerCase(Locale.ROOT));
                    text(w, mask.apply(c.method() + " " + c.target() + (c.httpStatus() > 0 ? " → " + c.httpStatus() : "")
                            + "\n" + String.join("\n", c.failures())));
                    w.writeEndElement();
                }
            }
            w.writeEndElement();
        }
        w.writeCharacters("\n  ");
        w.writeEndElement();

        w.writeCharacters("\n  ");
        w.writeStartElement("testsuite");
        attr(w, "name", "smoke-test.slo");
        attr(w, "tests", sloTests);
        attr(w, "failures", sloFailures);
        attr(w, "errors", sloErrors);
        attr(w, "skipped", sloSkipped);
        attr(w, "time", seconds(soakTime));
        attr(w, "timestamp", timestamp);
        if (soak != null) {
            w.writeCharacters("\n    ");
            w.writeStartElement("properties");
            for (Map.Entry<String, String> p : soakProperties(soak).entrySet()) {
                w.writeCharacters("\n      ");
                w.writeEmptyElement("property");
                attr(w, "name", p.getKey());
                attr(w, "value", p.getValue());
            }
            w.writeCharacters("\n    ");
            w.writeEndElement();
        }
        for (SloResult s : slos) {
            w.writeCharacters("\n    ");
            w.writeStartElement("testcase");
            attr(w, "classname", "smoke-test.slo");
            attr(w, "name", s.slo().text());
            attr(w, "time", "0");
            switch (s.status()) {
                case PASSED -> {
                }
                case FAILED -> {
                    w.writeStartElement("failure");
                    attr(w, "message", s.slo().metricName() + "=" + s.value() + " (" + s.basis() + ")");
                    attr(w, "type", "slo");
                    text(w, s.line());
                    w.writeEndElement();
                }
                case UNDECIDED, TOO_FEW -> {
                    w.writeStartElement("error");
                    attr(w, "message", mask.apply(s.line()));
                    attr(w, "type", "inconclusive");
                    w.writeEndElement();
                }
                case NOT_EVALUATED -> {
                    w.writeStartElement("skipped");
                    attr(w, "message", mask.apply(s.line()));
                    w.writeEndElement();
                }
            }
            w.writeEndElement();
        }
        if (soak != null) {
            w.writeCharacters("\n    ");
            w.writeStartElement("testcase");
            attr(w, "classname", "smoke-test.slo");
            attr(w, "name", "load generator kept its schedule");
            attr(w, "time", seconds(soakTime));
            if (generatorError) {
                w.writeStartElement("error");
                attr(w, "message", "inconclusive: " + soak.saturationReason());
                attr(w, "type", "inconclusive");
                w.writeEndElement();
            } else if (soak.saturated()) {
                w.writeStartElement("skipped");
                attr(w, "message", "the generator fell behind (" + soak.saturationReason() + "), and no gate depended on it");
                w.writeEndElement();
            }
            w.writeEndElement();
        }
        w.writeCharacters("\n  ");
        w.writeEndElement();
        w.writeCharacters("\n");
        w.writeEndElement();
        w.writeCharacters("\n");
        w.writeEndDocument();
    }

    static Map<String, String> soakProperties(SoakResult s) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("soak.engine", s.engine());
        p.put("soak.target-rps", fmt(s.targetRps()));
        p.put("soak.achieved-rps", fmt(s.achievedRps()));
        p.put("soak.requests", Long.toString(s.overall().count()));
        p.put("soak.errors", Long.toString(s.overall().errors()));
        p.put("soak.missed", Long.toString(s.missed()));
        p.put("soak.schedule-lag-p99-ms", fmt(s.lagP99Ms()));
        p.put("soak.slot-wait-p99-ms", fmt(s.generator().slotWaitP99Ms()));
        p.put("soak.stall-p99-ms", fmt(s.generator().stallP99Ms()));
        p.put("soak.loop-busy", fmt(s.generator().loopBusy()));
        for (double q : new double[]{50, 90, 95, 99}) {
            String n = q == Math.rint(q) ? Long.toString((long) q) : Double.toString(q);
            p.put("soak.p" + n + "-ms.corrected", fmt(s.overall().p(q)));
            p.put("soak.p" + n + "-ms.uncorrected", fmt(s.overall().uncorrectedP(q)));
            p.put("soak.p" + n + "-ms.floor", fmt(s.overall().floorP(q)));
        }
        p.put("soak.max-ms.corrected", fmt(s.overall().max()));
        p.put("soak.max-ms.uncorrected", fmt(s.overall().uncorrectedMax()));
        p.put("soak.saturated", Boolean.toString(s.saturated()));
        return p;
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.3f", d);
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }

    private static void attr(XMLStreamWriter w, String name, Object value) throws XMLStreamException {
        w.writeAttribute(name, clean(String.valueOf(value)));
    }

    private static void text(XMLStreamWriter w, String s) throws XMLStreamException {
        w.writeCharacters(clean(s));
    }

    /** XML 1.0 cannot hold most control characters; drop them. */
    static String clean(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c != 0xFFFE && c != 0xFFFF)) b.append(c);
        }
        return b.toString();
    }
}
