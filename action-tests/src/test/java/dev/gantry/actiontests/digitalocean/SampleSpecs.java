package dev.gantry.actiontests.digitalocean;

/** App specs the DigitalOcean tests deploy: one built from source on GitHub, one from a registry image. */
public final class SampleSpecs {
    /** A service built from {@code acme/shop} on GitHub (YAML, as in a repository's {@code .do/app.yaml}). */
    public static final String SOURCE = """
            name: shop-web
            services:
              - name: web
                github: {repo: acme/shop, branch: main}
                http_port: 8080
            """;
    /** A service from a DOCR image (JSON, which the app-spec input reads too). */
    public static final String IMAGE = """
            {"name": "shop-api", "services": [{"name": "api", "http_port": 3000,
              "image": {"registry_type": "DOCR", "repository": "acme/api", "tag": "v1"}}]}
            """;

    private SampleSpecs() {
    }
}
