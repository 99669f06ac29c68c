package io.archscaler.config;

/** The HTTP server for /metrics, /healthz, /readyz and /status. */
public record HttpConfig(int port) {
    public static final HttpConfig DEFAULTS = new HttpConfig(8080);
}
