package io.archscaler.controller;

import com.google.protobuf.ByteString;
import io.archscaler.expander.ExpanderClient;
import io.archscaler.images.FakeRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code run} with an {@code expander:} block: the controller serves Cluster Autoscaler's gRPC
 * expander beside its HTTP endpoints, with the placement webhook's image resolver and cache.
 */
class ExpanderControllerTest {
    private static final String EXPANDER = "expander: {port: 0, plaintext: true}";

    @Test
    void theExpanderAnswersFromTheWebhooksCacheAndShowsItsCallsInStatus() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (FakeRegistry registry = new FakeRegistry();
             ControllerHarness h = new ControllerHarness(new ControllerHarness.Setup().extraYaml(EXPANDER))) {
            registry.amd64Only("team/legacy", "1.0");
            registry.multiArch("team/web", "1.0");
            Controller c = h.startController("c0");
            assertThat(c.expanderPort()).isPresent();

            // the API server asks the webhook first, as it creates the pod CA will later find pending
            JsonObject admitted = admit(c, podJson(registry));
            assertThat(admitted.getJsonObject("response").getBoolean("allowed")).isTrue();
            assertThat(admitted.getJsonObject("response").getString("patch")).as("pinned to amd64").isNotNull();

            ExpanderClient client = ExpanderClient.plaintext(vertx, c.expanderPort().getAsInt());
            ByteString pod = ExpanderClient.pod("legacy-0", registry.host() + "/team/legacy:1.0",
                    registry.host() + "/team/web:1.0");
            ExpanderClient.Answer answer = client.call(ExpanderClient.request(List.of("x86", "arm"), pod));

            assertThat(answer.status()).isEqualTo(GrpcStatus.OK);
            assertThat(answer.ids()).containsExactly("x86");
            // one registry GET per image although the webhook and the expander both looked each up
            registry.server.verify(1, getRequestedFor(urlEqualTo("/v2/team/legacy/manifests/1.0")));
            registry.server.verify(1, getRequestedFor(urlEqualTo("/v2/team/web/manifests/1.0")));

            JsonArray lastCalls = ControllerHarness.status(c).getJsonObject("expander").getJsonArray("lastCalls");
            assertThat(lastCalls).hasSize(1);
            assertThat(lastCalls.getString(0)).startsWith("ranked: 2 options in, 1 out")
                    .contains("arm (image_arch: pod shop/legacy-0");
            assertThat(ControllerHarness.metrics(c))
                    .containsPattern("archscaler_expander_calls_total\\{[^}]*outcome=\"ranked\"[^}]*} 1");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void withoutAnExpanderBlockNoneIsServed() throws Exception {
        try (ControllerHarness h = new ControllerHarness(false)) {
            Controller c = h.startController("c0");

            assertThat(c.expanderPort()).isEmpty();
            assertThat(ControllerHarness.status(c).containsKey("expander")).isFalse();
        }
    }

    /** A Deployment's pod as the API server sends it to the webhook: an amd64-only app and a multi-arch sidecar. */
    private static JsonObject podJson(FakeRegistry registry) throws Exception {
        return new JsonObject(resource("pod-no-affinity.json").replace("${REGISTRY}", registry.host()));
    }

    private static JsonObject admit(Controller c, JsonObject pod) throws Exception {
        JsonObject review = new JsonObject(resource("review-create.json"));
        review.getJsonObject("request").put("object", pod);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + c.httpPort() + HttpEndpoints.WEBHOOK_PATH))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(review.encode())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new JsonObject(r.body());
    }

    private static String resource(String name) throws Exception {
        try (InputStream in = ExpanderControllerTest.class.getResourceAsStream("/images/admission/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
