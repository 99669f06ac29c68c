package io.archscaler.e2e;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A validating admission webhook on {@code pods/eviction} that a test serves over TLS: the API
 * server calls it for each eviction it is asked for, after authorization and before it checks the
 * PodDisruptionBudgets. It records every attempt, runs the action a test armed on the next one
 * (while the API server waits for the answer) and allows them all, so what the API server answers
 * is its own PodDisruptionBudget check. A test uses it to see the attempts and to change the world
 * at the one moment between a drain's decision and its first eviction.
 */
final class EvictionWebhook implements AutoCloseable {
    /** One eviction the API server was asked for. */
    record Attempt(Instant at, String namespace, String pod, String username) {
    }

    private final Vertx vertx = Vertx.vertx();
    private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    private final AtomicReference<Consumer<Attempt>> armed = new AtomicReference<>();
    private final E2eWebhooks.Serving serving;
    private final HttpServer server;

    /** Serves on a free loopback port with a certificate made in {@code dir}. */
    EvictionWebhook(Path dir) throws Exception {
        this.serving = E2eWebhooks.Serving.create(dir, "eviction-webhook");
        HttpServerOptions options = new HttpServerOptions().setSsl(true).setHost("127.0.0.1")
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(serving.files().certificate().toString())
                        .setKeyPath(serving.files().privateKey().toString()));
        server = vertx.createHttpServer(options).requestHandler(req -> req.body().onSuccess(body -> {
            JsonObject request = body.toJsonObject().getJsonObject("request");
            Attempt attempt = new Attempt(Instant.now(), request.getString("namespace"), request.getString("name"),
                    request.getJsonObject("userInfo", new JsonObject()).getString("username"));
            attempts.add(attempt);
            Consumer<Attempt> action = request.getBoolean("dryRun", false) ? null : armed.getAndSet(null);
            vertx.executeBlocking(() -> {
                if (action != null) {
                    action.accept(attempt);
                }
                return null;
            }, false).onComplete(ar -> {
                if (ar.failed()) {
                    // allowed all the same; the test waiting for what the action was to cause says what is missing
                    System.err.println("EvictionWebhook: the armed action failed: " + ar.cause());
                }
                req.response().putHeader("Content-Type", "application/json")
                        .end(new JsonObject().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview")
                                .put("response", new JsonObject().put("uid", request.getString("uid")).put("allowed", true))
                                .encode());
            });
        })).listen(0).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /**
     * Registers the webhook for evictions in {@code namespace} only, failing closed: an eviction the
     * webhook did not see does not happen, so no attempt goes unrecorded.
     */
    void register(KubernetesClient client, String name, String namespace) {
        client.resource(new ValidatingWebhookConfigurationBuilder().withNewMetadata().withName(name).endMetadata()
                .addNewWebhook().withName("evictions.e2e.archscaler.io").withAdmissionReviewVersions("v1")
                .withSideEffects("None").withFailurePolicy("Fail").withTimeoutSeconds(20)
                .withNewClientConfig().withUrl("https://127.0.0.1:" + server.actualPort() + "/evictions")
                .withCaBundle(serving.caBundle()).endClientConfig()
                .addNewRule().withApiGroups("").withApiVersions("v1").withOperations("CREATE")
                .withResources("pods/eviction").withScope("Namespaced").endRule()
                .withNewNamespaceSelector().addNewMatchExpression().withKey("kubernetes.io/metadata.name")
                .withOperator("In").withValues(namespace).endMatchExpression().endNamespaceSelector()
                .endWebhook().build()).serverSideApply();
    }

    /** Runs {@code action} on the next eviction that is not a dry run, before the API server gets the answer. */
    void onNextEviction(Consumer<Attempt> action) {
        armed.set(action);
    }

    /** Every attempt so far, in the order they came. */
    List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
