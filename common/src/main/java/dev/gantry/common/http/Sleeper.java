package dev.gantry.common.http;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Waits; tests substitute one that moves a virtual clock instead. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;

    /**
     * Waits up to {@code d}, or less when {@code wake} gets a permit (taken); returns whether it was woken. A
     * virtual sleeper cannot be woken part-way: it takes a permit that is already there, else moves its clock by
     * all of {@code d}.
     */
    default boolean sleepUnlessWoken(Duration d, Semaphore wake) throws InterruptedException {
        if (wake.tryAcquire()) return true;
        sleep(d);
        return false;
    }

    Sleeper SYSTEM = new Sleeper() {
        @Override
        public void sleep(Duration d) throws InterruptedException {
            if (!d.isNegative() && !d.isZero()) Thread.sleep(d.toMillis());
        }

        @Override
        public boolean sleepUnlessWoken(Duration d, Semaphore wake) throws InterruptedException {
            return wake.tryAcquire(Math.max(1, d.toMillis()), TimeUnit.MILLISECONDS);
        }
    };
}
