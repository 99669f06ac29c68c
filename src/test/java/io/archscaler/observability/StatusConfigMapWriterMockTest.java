package io.archscaler.observability;

import io.archscaler.controller.HttpEndpoints;
import io.archscaler.controller.StatusConfigMapWriter;
import io.archscaler.testing.SandboxCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The status ConfigMap against fabric8's CRUD mock API server; the status comes over the event bus as the scaler answers it. */
class StatusConfigMapWriterMockTest {
    private static final String NS = "archscaler";
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    private final SandboxCluster cluster = new SandboxCluster();
    private final KubernetesClient client = cluster.client();
    private final Vertx vertx = Vertx.vertx();
    private final AtomicInteger asked = new AtomicInteger();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        cluster.close();
    }

    @Test
    void aLeaderWritesTheStatusAndWhenItWasWritten() throws Exception {
        answerStatus(n -> new JsonObject().put("cluster", "prod").put("leader", true).put("pendingPods",
                new JsonObject().put("total", 3)));
        StatusConfigMapWriter writer = deploy(Duration.ofHours(1));
        writer.setLeader(true);

        // becoming leader writes at once, not an interval later
        await().atMost(Duration.ofSeconds(10)).until(() -> configMap() != null);

        ConfigMap cm = configMap();
        assertThat(new JsonObject(cm.getData().get(StatusConfigMapWriter.STATUS_KEY)))
                .isEqualTo(new JsonObject().put("cluster", "prod").put("leader", true)
                        .put("pendingPods", new JsonObject().put("total", 3)));
        assertThat(cm.getData()).containsEntry(StatusConfigMapWriter.LAST_UPDATED_KEY, NOW.toString());
        assertThat(cm.getMetadata().getLabels()).containsEntry("app.kubernetes.io/name", "archscaler");
    }

    @Test
    void aFollowerNeitherAsksForTheStatusNorWrites() throws Exception {
        answerStatus(n -> new JsonObject().put("leader", false));
        StatusConfigMapWriter writer = deploy(Duration.ofHours(1));
        writer.setLeader(false);

        assertThat(writer.writeNow().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)).isFalse();

        assertThat(asked).hasValue(0);
        assertThat(configMap()).isNull();
    }

    @Test
    void eachIntervalReplacesWhatWasWrittenBefore() throws Exception {
        answerStatus(n -> new JsonObject().put("write", n));
        StatusConfigMapWriter writer = deploy(Duration.ofMillis(100));
        writer.setLeader(true);

        await().atMost(Duration.ofSeconds(10)).until(() -> {
            ConfigMap cm = configMap();
            return cm != null && new JsonObject(cm.getData().get(StatusConfigMapWriter.STATUS_KEY)).getInteger("write") >= 3;
        });
        assertThat(client.configMaps().inNamespace(NS).list().getItems()).hasSize(1);
    }

    @Test
    void aConfigMapLeftByAPreviousLeaderIsReplaced() throws Exception {
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata()
                .withName(StatusConfigMapWriter.NAME).withNamespace(NS).endMetadata()
                .withData(Map.of(StatusConfigMapWriter.STATUS_KEY, "{\"leader\":true,\"from\":\"old-leader\"}",
                        StatusConfigMapWriter.LAST_UPDATED_KEY, "2026-11-22T09:00:00Z")).build()).create();
        answerStatus(n -> new JsonObject().put("leader", true).put("from", "new-leader"));
        StatusConfigMapWriter writer = deploy(Duration.ofHours(1));

        writer.setLeader(true);

        await().atMost(Duration.ofSeconds(10)).until(() -> new JsonObject(configMap().getData()
                .get(StatusConfigMapWriter.STATUS_KEY)).getString("from").equals("new-leader"));
        assertThat(configMap().getData()).containsEntry(StatusConfigMapWriter.LAST_UPDATED_KEY, NOW.toString());
    }

    @Test
    void aWriteAfterSomeoneElseChangedTheConfigMapStillLands() throws Exception {
        answerStatus(n -> new JsonObject().put("leader", true).put("write", n));
        StatusConfigMapWriter writer = deploy(Duration.ofHours(1));
        writer.setLeader(true);
        await().atMost(Duration.ofSeconds(10)).until(() -> configMap() != null);
        // another writer (kubectl edit, a replica that still thinks it leads) moves the resourceVersion on
        ConfigMap theirs = configMap();
        theirs.getData().put(StatusConfigMapWriter.STATUS_KEY, "{\"from\":\"someone-else\"}");
        client.configMaps().inNamespace(NS).resource(theirs).update();

        assertThat(writer.writeNow().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)).isTrue();

        assertThat(new JsonObject(configMap().getData().get(StatusConfigMapWriter.STATUS_KEY)).getInteger("write")).isEqualTo(2);
        // and the one after it is a plain update again
        assertThat(writer.writeNow().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(new JsonObject(configMap().getData().get(StatusConfigMapWriter.STATUS_KEY)).getInteger("write")).isEqualTo(3);
    }

    @Test
    void aConfigMapDeletedBetweenWritesIsCreatedAgain() throws Exception {
        answerStatus(n -> new JsonObject().put("leader", true).put("write", n));
        StatusConfigMapWriter writer = deploy(Duration.ofHours(1));
        writer.setLeader(true);
        await().atMost(Duration.ofSeconds(10)).until(() -> configMap() != null);
        client.configMaps().inNamespace(NS).withName(StatusConfigMapWriter.NAME).delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> configMap() == null);

        assertThat(writer.writeNow().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)).isTrue();

        assertThat(new JsonObject(configMap().getData().get(StatusConfigMapWriter.STATUS_KEY)).getInteger("write")).isEqualTo(2);
    }

    @Test
    void aStatusThatCannotBeHadWritesNothingAndTheNextIntervalTriesAgain() throws Exception {
        AtomicInteger failures = new AtomicInteger();
        MessageConsumer<Object> failing = vertx.eventBus().consumer(HttpEndpoints.STATUS_ADDRESS, m -> {
            failures.incrementAndGet();
            m.fail(503, "scaler not deployed");
        });
        failing.completion().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        StatusConfigMapWriter writer = deploy(Duration.ofMillis(100));
        writer.setLeader(true);

        await().atMost(Duration.ofSeconds(10)).until(() -> failures.get() >= 3);
        assertThat(configMap()).isNull();

        failing.unregister().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        answerStatus(n -> new JsonObject().put("leader", true));
        await().atMost(Duration.ofSeconds(10)).until(() -> configMap() != null);
    }

    @Test
    void anIntervalThatIsNotPositiveIsRefused() {
        assertThatThrownBy(() -> new StatusConfigMapWriter(client, NS, Duration.ZERO, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("interval must be positive");
    }

    private StatusConfigMapWriter deploy(Duration interval) throws Exception {
        StatusConfigMapWriter writer = new StatusConfigMapWriter(client, NS, interval, Clock.fixed(NOW, ZoneOffset.UTC));
        vertx.deployVerticle(writer).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return writer;
    }

    private void answerStatus(java.util.function.IntFunction<JsonObject> status) throws Exception {
        MessageConsumer<Object> c = vertx.eventBus().consumer(HttpEndpoints.STATUS_ADDRESS,
                m -> m.reply(status.apply(asked.incrementAndGet())));
        c.completion().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private ConfigMap configMap() {
        return client.configMaps().inNamespace(NS).withName(StatusConfigMapWriter.NAME).get();
    }
}
