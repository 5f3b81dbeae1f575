package dev.gantry.prismagate;

import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.Log;
import dev.gantry.common.http.Poller;
import dev.gantry.prismagate.db.AdvisoryLock;
import dev.gantry.prismagate.db.DatabaseErrors;
import dev.gantry.prismagate.db.Deadline;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * Prisma's advisory lock, from the gate's side: apply takes it (polling, up to {@code lock-timeout}); check takes
 * nothing but waits, just as long, for another session to let go of it before judging the history, because a
 * session that holds it (a deploy, or what a killed deploy left behind on the server) may still be committing.
 */
final class Locking {
    private final AdvisoryLock lock;
    private final Log log;
    private final Settings s;
    private final Deadline deadline;
    private final ActionContext ctx;

    Locking(Connection c, Log log, Settings s, Deadline deadline, ActionContext ctx) {
        this.lock = new AdvisoryLock(c);
        this.log = log;
        this.s = s;
        this.deadline = deadline;
        this.ctx = ctx;
    }

    /** Takes the lock; exit 1 ({@code result: timeout}) when another session keeps it past the timeout. */
    void acquire() {
        String env = ctx.env("PRISMA_SCHEMA_DISABLE_ADVISORY_LOCK");
        if ("1".equals(env) || "true".equalsIgnoreCase(env)) {
            log.warning("PRISMA_SCHEMA_DISABLE_ADVISORY_LOCK is set: applying without Prisma's advisory lock");
            return;
        }
        Poller.waitingFor("Prisma's advisory lock (pg_advisory_lock(" + AdvisoryLock.KEY + "), P1002)")
                .timeout(deadline.cap(s.lockTimeout())).interval(Duration.ofMillis(100), Duration.ofSeconds(1), 1.5)
                .heartbeat(Duration.ofSeconds(10)).log(log)
                .build().until(this::tryAcquire, r -> r.isEmpty(), r -> r.isEmpty()
                        ? "holding Prisma's advisory lock " + AdvisoryLock.KEY
                        : "another session (a deploy) holds Prisma's advisory lock " + AdvisoryLock.KEY + ": " + r.get());
    }

    /** Empty when this session now holds the lock, else who holds it. */
    private Optional<String> tryAcquire() {
        try {
            if (lock.tryAcquire()) return Optional.empty();
            return Optional.of(lock.holder().map(AdvisoryLock.Holder::describe).orElse("a session of another role"));
        } catch (SQLException e) {
            throw DatabaseErrors.of("taking Prisma's advisory lock", e, s.database(), deadline);
        }
    }

    /** Waits until no other session holds the lock, up to the lock timeout; returns who still holds it, or null. */
    String awaitRelease() throws SQLException {
        Optional<AdvisoryLock.Holder> holder = lock.holder();
        if (holder.isEmpty()) return null;
        Duration wait = deadline.cap(s.lockTimeout());
        log.info("Prisma's advisory lock is held by " + holder.get().describe() + ": waiting up to " + wait.toSeconds()
                + " s for it to end before judging the history (a deploy, or one whose client was killed, may still"
                + " be committing)");
        long end = System.nanoTime() + wait.toNanos();
        long sleep = 100;
        while (holder.isPresent() && System.nanoTime() < end) {
            try {
                Thread.sleep(Math.min(sleep, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            sleep = Math.min(1000, sleep * 3 / 2);
            holder = lock.holder();
        }
        if (holder.isEmpty()) {
            log.info("The session holding Prisma's advisory lock has ended: judging the history now");
            return null;
        }
        log.warning("Another session still holds Prisma's advisory lock 72707369 (" + holder.get().describe() + "): a"
                + " deploy may be running right now, and an unfinished migration may still be in progress rather"
                + " than failed.");
        return holder.get().describe();
    }
}
