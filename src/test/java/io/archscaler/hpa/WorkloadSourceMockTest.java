package io.archscaler.hpa;

import io.archscaler.events.EventAddresses;
import io.archscaler.events.EventCodecs;
import io.archscaler.events.MetricSample;
import io.archscaler.events.ObjectChanged;
import io.archscaler.kube.KubePods;
import io.archscaler.testing.SandboxCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The informers against the CRUD mock API server, feeding an {@link HpaHeadroom} as the scaler will. */
class WorkloadSourceMockTest {
    private SandboxCluster cluster;
    private KubernetesClient client;
    private Vertx vertx;
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final List<Optional<HpaHeadroom.Forecast>> forecasts = new CopyOnWriteArrayList<>();
    private HpaHeadroom headroom;
    private WorkloadSource source;

    @BeforeEach
    void start() throws Exception {
        cluster = new SandboxCluster();
        client = cluster.client();
        vertx = Vertx.vertx();
        EventCodecs.register(vertx.eventBus());
        headroom = new HpaHeadroom("prod", Duration.ofMinutes(5), KubePods::toPendingPod, Clock.systemUTC());
        vertx.eventBus().<ObjectChanged>consumer(EventAddresses.OBJECTS, m -> {
            HasMetadata o = m.body().object();
            seen.add(o.getKind() + " " + o.getMetadata().getName() + (m.body().deleted() ? " deleted" : ""));
            headroom.onObject(o, m.body().deleted());
        });
        vertx.eventBus().<MetricSample>consumer(EventAddresses.METRICS, m -> {
            forecasts.add(headroom.onSample(m.body()));
            m.reply(null);
        });
        source = new WorkloadSource(client, 0);
        vertx.deployVerticle(source).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        cluster.close();
    }

    @Test
    void hpasAndTheirWorkloadsReachTheHeadroomAndASampleBooksPods() throws Exception {
        client.resource(HpaObjects.hpa(4)).create();
        client.resource(HpaObjects.deployment(4)).create();
        client.resource(HpaObjects.replicaSet(4)).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.containsAll(List.of("HorizontalPodAutoscaler checkout",
                "Deployment checkout", "ReplicaSet checkout-7d9f8c6b5")));
        assertThat(source.hpas()).extracting(h -> h.getMetadata().getName()).containsExactly("checkout");

        vertx.eventBus().request(EventAddresses.METRICS, new MetricSample("prod", "shop", "checkout",
                "http_requests_per_second", 300, Instant.now())).toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);

        assertThat(forecasts).singleElement().satisfies(f -> {
            assertThat(f).isPresent();
            assertThat(f.get().prediction().desiredReplicas()).isEqualTo(8);
            assertThat(f.get().headroomPods()).isEqualTo(4);
        });
    }

    @Test
    void deletingTheDeploymentIsPublishedAsADeletion() {
        Deployment d = client.resource(HpaObjects.deployment(2)).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.contains("Deployment checkout"));
        client.resource(d).delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.contains("Deployment checkout deleted"));
    }

    @Test
    void statefulSetsAreWatchedToo() {
        Deployment d = HpaObjects.deployment(3);
        client.apps().statefulSets().inNamespace("shop").resource(new io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder()
                .withNewMetadata().withName("ledger").withNamespace("shop").endMetadata()
                .withNewSpec().withReplicas(3).withServiceName("ledger").withSelector(d.getSpec().getSelector())
                .withTemplate(d.getSpec().getTemplate()).endSpec().build()).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.contains("StatefulSet ledger"));
    }
}
