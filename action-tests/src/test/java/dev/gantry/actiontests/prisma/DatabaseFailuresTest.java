package dev.gantry.actiontests.prisma;

import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database that cannot be reached, or that accepts the connection and then stalls (a hung pooler or proxy): the
 * gate ends within its timeout plus a few seconds, exit 3, with a summary that names the host. Bad URLs are input
 * errors that never print the password.
 */
class DatabaseFailuresTest {
    private Path ws;
    private ServerSocket stall;
    private ExecutorService acceptor;
    private final List<Socket> held = new ArrayList<>();

    @BeforeEach
    void workspace() throws IOException {
        ws = Files.createTempDirectory("gate-fail-");
        new PrismaWorkspace(ws).migration("20240101000000_init", PrismaWorkspace.INIT);
    }

    @AfterEach
    void stopStalling() throws IOException {
        if (acceptor != null) acceptor.shutdownNow();
        for (Socket s : held) s.close();
        if (stall != null) stall.close();
    }

    /**
     * A TCP server on loopback that accepts; with {@code answerSslProbe} it reads the SSLRequest and answers 'N'
     * (no TLS, go on), then reads the startup message and says nothing more; without, it says nothing at all.
     */
    private int stallingServer(boolean answerSslProbe) throws IOException {
        stall = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Executors.newSingleThreadExecutor();
        acceptor.submit(() -> {
            while (!stall.isClosed()) {
                Socket s = stall.accept();
                held.add(s);
                if (answerSslProbe) {
                    InputStream in = s.getInputStream();
                    in.readNBytes(8);
                    s.getOutputStream().write('N');
                    s.getOutputStream().flush();
                }
            }
            return null;
        });
        return stall.getLocalPort();
    }

    private ActionResult gate(String url, String timeout) {
        return ActionRun.of("prisma-migrate-gate").workspace(ws).with("database-url", url).with("timeout", timeout).run();
    }

    @Test
    void aServerThatAnswersTheSslProbeThenStallsEndsTheStepInTime() throws IOException {
        int port = stallingServer(true);
        long t0 = System.nanoTime();
        ActionResult r = gate("postgresql://app:Str4ng3-pw@127.0.0.1:" + port + "/shop", "3s");
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        assertThat(seconds).as("timeout 3s plus at most 10 s").isLessThan(13);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.output("result")).isEqualTo("error");
        assertThat(r.errors().get(r.errors().size() - 1).data()).contains("127.0.0.1:" + port)
                .contains("did not answer");
        assertThat(r.summary()).startsWith("❌ **Database error**").contains("127.0.0.1:" + port);
        assertThat(r.leaks("Str4ng3-pw")).isFalse();
    }

    @Test
    void aServerThatNeverSpeaksEndsTheStepInTime() throws IOException {
        int port = stallingServer(false);
        long t0 = System.nanoTime();
        ActionResult r = gate("postgresql://app:pw@127.0.0.1:" + port + "/shop?sslmode=require", "2s");
        assertThat((System.nanoTime() - t0) / 1_000_000_000L).isLessThan(12);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.summary()).contains("Database error");
    }

    @Test
    void anUnknownHostIsNamed() {
        ActionResult r = gate("postgresql://app:pw@no-such-db.invalid:5432/shop", "20s");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.errors().get(r.errors().size() - 1).data())
                .contains("the database host 'no-such-db.invalid' cannot be resolved (DNS)");
        assertThat(r.summary()).contains("no-such-db.invalid");
    }

    @Test
    void aRefusedConnectionNamesTheAddress() {
        ActionResult r = gate("postgresql://app:pw@127.0.0.1:1/shop", "20s");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.errors().get(r.errors().size() - 1).data()).contains("nothing accepts connections at 127.0.0.1:1");
    }

    @Test
    void aPasswordWithRawSpecialCharactersGetsAPercentEncodingHint() {
        for (String pw : new String[]{"p@ss:w/rd", "pa#ss", "50%off"}) {
            ActionResult r = gate("postgresql://app:" + pw + "@db.example.com:5432/shop", "20s");
            assertThat(r.exitCode()).as(pw).isEqualTo(2);
            assertThat(r.errors().get(0).data()).contains("'database-url'").contains("percent-encoded")
                    .contains("@ → %40");
            assertThat(r.leaks(pw)).isFalse();
            assertThat(r.summary()).contains("input `database-url` is wrong").doesNotContain(pw);
        }
    }

    @Test
    void inputErrorsWriteASummary() {
        ActionResult r = ActionRun.of("prisma-migrate-gate").workspace(ws).with("rules", "no-such-rule").run();
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.summary()).startsWith("❌ **Migration gate could not start**: input `rules` is wrong.")
                .contains("no-such-rule");
        ActionResult dir = ActionRun.of("prisma-migrate-gate").workspace(ws).with("migrations-dir", "nope").run();
        assertThat(dir.exitCode()).isEqualTo(2);
        assertThat(dir.summary()).contains("could not start").contains("migrations-dir");
    }
}
