package dev.gantry.common.http;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a PUT or DELETE of a provider interface that must not be resent blindly, because it starts something
 * (App Platform's {@code PUT /v2/apps/{id}} starts a deployment). Like a POST, it is resent only when the provider
 * did not process it (a rate limit, no connection); after a lost answer or a 5xx the caller checks what exists.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface NotIdempotent {
}
