package dev.gantry.common.http;

import javax.net.ssl.SSLContext;
import java.security.NoSuchAlgorithmException;

/**
 * Starts, on a spare core, the set-up every action that calls an API pays before its first request: the default
 * TLS context (the JDK's trust store, loaded and parsed) and Jackson's mapper ({@link HttpApi#JSON}). The actions
 * call it first thing, so that it overlaps reading inputs and files instead of following them; whatever needs
 * either first waits for it (the JVM's class-initialisation lock, SSLContext's own lock), so nothing is done twice.
 *
 * <p>A class of its own so that calling it does not initialise {@link HttpApi} on the calling thread.
 */
public final class WarmUp {
    private WarmUp() {
    }

    public static void start() {
        Thread.ofPlatform().daemon().name("gantry-warm-up").start(() -> {
            try {
                SSLContext.getDefault();
                HttpApi.JSON.getTypeFactory();
            } catch (NoSuchAlgorithmException | RuntimeException | LinkageError e) {
                // not reported here (no stack trace on the log): the code that needs either meets the same failure
                // and reports it as the action's error
            }
        });
    }
}
