package io.archscaler.controller;

import io.archscaler.images.InvalidAdmissionReviewException;
import io.archscaler.images.PodPlacementWebhook;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.CompletionException;

/** Serves {@code POST /mutate-pods}: an AdmissionReview in, the placement webhook's review out. */
final class WebhookHandler implements Handler<HttpServerRequest> {
    private static final long MAX_BODY_BYTES = 3L << 20;

    private final PodPlacementWebhook webhook;

    WebhookHandler(PodPlacementWebhook webhook) {
        this.webhook = webhook;
    }

    @Override
    public void handle(HttpServerRequest req) {
        req.body().onComplete(ar -> {
            if (ar.failed()) {
                respond(req, 400, "cannot read request body");
                return;
            }
            if (ar.result().length() > MAX_BODY_BYTES) {
                respond(req, 413, "AdmissionReview larger than 3 MiB");
                return;
            }
            JsonObject review;
            try {
                review = ar.result().toJsonObject();
            } catch (DecodeException | ClassCastException e) {
                respond(req, 400, "not a JSON AdmissionReview");
                return;
            }
            webhook.review(review).whenComplete((response, error) -> {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                if (cause instanceof InvalidAdmissionReviewException) {
                    respond(req, 400, cause.getMessage());
                } else if (cause != null) {
                    respond(req, 500, "review failed");
                } else {
                    req.response().putHeader("Content-Type", "application/json").end(response.encode());
                }
            });
        });
    }

    private static void respond(HttpServerRequest req, int status, String message) {
        req.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").end(message + "\n");
    }
}
