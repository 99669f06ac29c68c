package io.archscaler.controller;

import io.archscaler.events.EventAddresses;
import io.archscaler.events.NodeChanged;
import io.archscaler.events.ObjectChanged;
import io.archscaler.events.PodDeleted;
import io.archscaler.events.PodEvent;
import io.archscaler.events.PodPending;
import io.archscaler.events.PodScheduled;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Watches pods, nodes, DaemonSets and PodDisruptionBudgets with fabric8 shared informers and
 * publishes what changed on the event bus. Informers relist on a closed watch or 410 Gone by
 * themselves; the resync period re-sends every object now and then as a safety net.
 */
public final class InformerSource extends AbstractVerticle {
    private static final Logger LOG = LoggerFactory.getLogger(InformerSource.class);
    private static final long RESYNC_MILLIS = 60_000;

    private final KubernetesClient client;
    private final String cluster;
    private final Clock clock;
    private final EventAddresses addresses;
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

    public InformerSource(KubernetesClient client, String cluster, Clock clock) {
        this(client, cluster, clock, EventAddresses.SINGLE);
    }

    /** Publishes on {@code addresses} (a fleet's per-cluster ones). */
    public InformerSource(KubernetesClient client, String cluster, Clock clock, EventAddresses addresses) {
        this.client = client;
        this.cluster = cluster;
        this.clock = clock;
        this.addresses = addresses;
    }

    @Override
    public void start(Promise<Void> started) {
        // informers call back on fabric8's threads; the event bus is safe to use from any thread
        List<Future<Void>> synced = new ArrayList<>();
        synced.add(watch(client.nodes().runnableInformer(RESYNC_MILLIS),
                handler(this::publishNode, this::publishNodeDeleted)));
        synced.add(watch(client.apps().daemonSets().inAnyNamespace().runnableInformer(RESYNC_MILLIS),
                handler(o -> publishObject(o, false), o -> publishObject(o, true))));
        synced.add(watch(client.policy().v1().podDisruptionBudget().inAnyNamespace().runnableInformer(RESYNC_MILLIS),
                handler(o -> publishObject(o, false), o -> publishObject(o, true))));
        synced.add(watch(client.pods().inAnyNamespace().runnableInformer(RESYNC_MILLIS),
                handler(this::publishPod, this::publishPodDeleted)));
        Future.all(synced).onComplete(ar -> {
            if (ar.succeeded()) {
                LOG.info("informers synced: pods, nodes, daemonsets, poddisruptionbudgets");
                started.complete();
            } else {
                started.fail(ar.cause());
            }
        });
    }

    private <T extends HasMetadata> Future<Void> watch(SharedIndexInformer<T> informer, ResourceEventHandler<T> handler) {
        informer.addEventHandler(handler);
        informers.add(informer);
        return Future.fromCompletionStage(informer.start()).mapEmpty();
    }

    @Override
    public void stop() {
        informers.forEach(SharedIndexInformer::close);
        informers.clear();
    }

    /** Publishes the event that a pod object amounts to, if any. */
    private void publishPod(Pod pod) {
        PodEvent event = switch (PodPhase.of(pod)) {
            case PENDING -> new PodPending(cluster, pod, clock.instant());
            case SCHEDULED -> new PodScheduled(cluster, pod, clock.instant());
            case GONE -> new PodDeleted(cluster, pod, clock.instant());
            case WAITING_FOR_SCHEDULER -> null;
        };
        if (event != null) {
            send(addresses.pods(), event);
        }
    }

    private void publishPodDeleted(Pod pod) {
        send(addresses.pods(), new PodDeleted(cluster, pod, clock.instant()));
    }

    private void publishNode(Node node) {
        vertx.eventBus().send(addresses.nodes(), new NodeChanged(node, false, clock.instant()));
    }

    private void publishNodeDeleted(Node node) {
        vertx.eventBus().send(addresses.nodes(), new NodeChanged(node, true, clock.instant()));
    }

    private void publishObject(HasMetadata object, boolean deleted) {
        vertx.eventBus().send(addresses.objects(), new ObjectChanged(object, deleted));
    }

    private void send(String address, Object event) {
        vertx.eventBus().request(address, event, new DeliveryOptions().setSendTimeout(30_000))
                .onFailure(e -> LOG.warn("event not applied: {}", e.getMessage()));
    }

    private static <T extends HasMetadata> ResourceEventHandler<T> handler(Consumer<T> upsert, Consumer<T> delete) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                upsert.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                upsert.accept(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                delete.accept(obj);
            }
        };
    }
}
