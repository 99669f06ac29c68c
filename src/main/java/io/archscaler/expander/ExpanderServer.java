package io.archscaler.expander;

import io.archscaler.config.ExpanderConfig;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.GrpcServerRequest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * Cluster Autoscaler's gRPC expander, {@code grpcplugin.Expander/BestOptions}, on its own port:
 * HTTP/2 over TLS (ALPN h2) with the configured PEM certificate, or plain HTTP/2 when configured so
 * for tests. Messages are taken as bytes and parsed by {@link BestOptionsService}, so a malformed
 * request is counted and answered by the expander itself.
 */
public final class ExpanderServer extends AbstractVerticle {
    /** The one method CA calls. */
    public static final ServiceMethod<Buffer, Buffer> BEST_OPTIONS = ServiceMethod.server(
            ServiceName.create("grpcplugin", "Expander"), "BestOptions", GrpcMessageEncoder.IDENTITY,
            GrpcMessageDecoder.IDENTITY);

    /**
     * The largest BestOptions request taken: CA puts every pod of every option in one message, so a
     * big scale-up passes gRPC's usual 256 KiB at once (then CA would fall back to all options);
     * 128 MiB is what CA itself accepts from its expander.
     */
    static final long MAX_REQUEST_BYTES = 128L << 20;

    private final ExpanderConfig config;
    private final BestOptionsService service;
    private HttpServer server;

    public ExpanderServer(ExpanderConfig config, BestOptionsService service) {
        this.config = config;
        this.service = service;
    }

    @Override
    public void start(Promise<Void> started) {
        GrpcServer grpc = GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(MAX_REQUEST_BYTES))
                .callHandler(BEST_OPTIONS, this::handle);
        HttpServerOptions options = new HttpServerOptions();
        if (!config.plaintext()) {
            for (Path file : List.of(config.certFile().orElseThrow(), config.keyFile().orElseThrow())) {
                if (!Files.isReadable(file)) {
                    // said here, before TLS setup would fail with a message that does not say which setting is wrong
                    started.fail(new IllegalStateException("expander " + (file.equals(config.certFile().get())
                            ? "certFile " : "keyFile ") + file + " cannot be read: " + (Files.exists(file)
                            ? "permission denied" : "no such file")));
                    return;
                }
            }
            options.setSsl(true).setUseAlpn(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(config.certFile().orElseThrow().toString())
                    .setKeyPath(config.keyFile().orElseThrow().toString()));
        }
        vertx.createHttpServer(options).requestHandler(grpc).listen(config.port()).onComplete(ar -> {
            if (ar.succeeded()) {
                server = ar.result();
                started.complete();
            } else {
                started.fail(ar.cause());
            }
        });
    }

    /** The port actually bound (0 in the configuration asks for a free one). */
    public int actualPort() {
        return server.actualPort();
    }

    private void handle(GrpcServerRequest<Buffer, Buffer> call) {
        Context context = vertx.getOrCreateContext();
        call.handler(body -> service.bestOptions(body.getBytes()).whenComplete((response, error) -> context.runOnContext(v -> {
            if (error == null) {
                call.response().send(Buffer.buffer(response.toByteArray()));
            } else {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                call.response().status(cause instanceof InvalidExpanderRequestException
                        ? GrpcStatus.INVALID_ARGUMENT : GrpcStatus.INTERNAL).statusMessage(cause.getMessage()).end();
            }
        })));
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
