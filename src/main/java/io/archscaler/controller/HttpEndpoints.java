package io.archscaler.controller;

import io.archscaler.metrics.ArchscalerMetrics;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.util.function.BooleanSupplier;

/**
 * Serves {@code /metrics}, {@code /healthz}, {@code /readyz} and {@code /status}, all read-only
 * (anything but GET or HEAD gets 405), and, when a handler is given, the placement webhook at
 * {@code POST /mutate-pods}.
 */
public final class HttpEndpoints extends AbstractVerticle {
    /** Event-bus address the scaler answers with its status JSON. */
    public static final String STATUS_ADDRESS = io.archscaler.events.EventAddresses.SINGLE.status();
    public static final String WEBHOOK_PATH = "/mutate-pods";

    private final String host;
    private final int port;
    private final ArchscalerMetrics metrics;
    private final BooleanSupplier ready;
    private final Handler<HttpServerRequest> webhook;
    private String statusAddress = STATUS_ADDRESS;
    private HttpServer server;

    public HttpEndpoints(String host, int port, ArchscalerMetrics metrics, BooleanSupplier ready,
                         Handler<HttpServerRequest> webhook) {
        this.host = host;
        this.port = port;
        this.metrics = metrics;
        this.ready = ready;
        this.webhook = webhook;
    }

    @Override
    public void start(Promise<Void> started) {
        vertx.createHttpServer().requestHandler(this::handle).listen(port, host).onComplete(ar -> {
            if (ar.succeeded()) {
                server = ar.result();
                started.complete();
            } else {
                started.fail(ar.cause());
            }
        });
    }

    /** Answers {@code /status} from {@code address} instead (a fleet's own status). Call before deploying. */
    public HttpEndpoints statusFrom(String address) {
        this.statusAddress = address;
        return this;
    }

    /** The port actually bound (useful when 0 asked for a free one). */
    public int actualPort() {
        return server.actualPort();
    }

    @Override
    public void stop(Promise<Void> stopped) {
        if (server == null) {
            stopped.complete();
            return;
        }
        server.close().onComplete(ar -> stopped.complete());
    }

    private void handle(HttpServerRequest req) {
        String path = req.path();
        if (webhook != null && WEBHOOK_PATH.equals(path)) {
            if (req.method() == HttpMethod.POST) {
                webhook.handle(req);
            } else {
                methodNotAllowed(req, "POST");
            }
            return;
        }
        if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
            methodNotAllowed(req, "GET, HEAD");
            return;
        }
        switch (path) {
            case "/healthz" -> text(req, 200, "ok\n");
            case "/readyz" -> {
                boolean ok = ready.getAsBoolean();
                text(req, ok ? 200 : 503, ok ? "ready\n" : "not ready\n");
            }
            case "/metrics" -> req.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(metrics.scrape());
            case "/status" -> status(req);
            default -> text(req, 404, "not found\n");
        }
    }

    private void status(HttpServerRequest req) {
        Future<JsonObject> status = vertx.eventBus().<JsonObject>request(statusAddress, null).map(m -> m.body());
        status.onComplete(ar -> {
            if (ar.succeeded()) {
                req.response().putHeader("Content-Type", "application/json").end(ar.result().encodePrettily());
            } else {
                text(req, 503, "status unavailable: " + ar.cause().getMessage() + "\n");
            }
        });
    }

    private static void methodNotAllowed(HttpServerRequest req, String allow) {
        req.response().setStatusCode(405).putHeader("Allow", allow).end("method not allowed\n");
    }

    private static void text(HttpServerRequest req, int code, String body) {
        req.response().setStatusCode(code).putHeader("Content-Type", "text/plain; charset=utf-8").end(body);
    }
}
