package io.archscaler.controller;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;

import java.nio.file.Path;

/** The placement webhook over TLS on its own port, as the API server calls it in a cluster. */
final class WebhookServer extends AbstractVerticle {
    private final int port;
    private final Path certFile;
    private final Path keyFile;
    private final Handler<HttpServerRequest> webhook;
    private HttpServer server;

    WebhookServer(int port, Path certFile, Path keyFile, Handler<HttpServerRequest> webhook) {
        this.port = port;
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.webhook = webhook;
    }

    @Override
    public void start(Promise<Void> started) {
        HttpServerOptions options = new HttpServerOptions().setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(certFile.toString()).setKeyPath(keyFile.toString()));
        vertx.createHttpServer(options).requestHandler(req -> {
            if (!HttpEndpoints.WEBHOOK_PATH.equals(req.path())) {
                req.response().setStatusCode(404).end();
            } else if (req.method() != HttpMethod.POST) {
                req.response().setStatusCode(405).putHeader("Allow", "POST").end();
            } else {
                webhook.handle(req);
            }
        }).listen(port).onComplete(ar -> {
            if (ar.succeeded()) {
                server = ar.result();
                started.complete();
            } else {
                started.fail(ar.cause());
            }
        });
    }

    @Override
    public void stop(Promise<Void> stopped) {
        if (server == null) {
            stopped.complete();
        } else {
            server.close().onComplete(ar -> stopped.complete());
        }
    }
}
