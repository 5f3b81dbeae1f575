package dev.gantry.smoketest.engine;

import java.net.URI;
import java.util.Map;

/** A check's request with every template filled in: what goes on the wire. Header names as written. */
public record RenderedRequest(String checkName, String method, URI uri, Map<String, String> headers, byte[] body,
                              String display) {
}
