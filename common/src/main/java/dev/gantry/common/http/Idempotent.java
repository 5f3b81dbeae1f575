package dev.gantry.common.http;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a POST or PATCH of a provider interface as safe to repeat, so the retry layer may resend it after a
 * 429/5xx or a dropped connection. Without it, a POST that creates something is never resent blindly: the caller
 * checks what exists, then retries.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Idempotent {
}
