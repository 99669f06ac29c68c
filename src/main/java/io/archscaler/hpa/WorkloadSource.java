package io.archscaler.hpa;

import io.archscaler.events.EventAddresses;
import io.archscaler.events.ObjectChanged;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Watches HPAs (autoscaling/v2), Deployments, StatefulSets and ReplicaSets with fabric8 shared
 * informers and publishes each change as an {@link ObjectChanged} on {@link EventAddresses#OBJECTS},
 * where the scaler hands them to {@link HpaHeadroom#onObject}. Needs list and watch on
 * {@code horizontalpodautoscalers} (autoscaling) and {@code deployments}, {@code statefulsets},
 * {@code replicasets} (apps).
 */
public final class WorkloadSource extends AbstractVerticle {
    private static final Logger LOG = LoggerFactory.getLogger(WorkloadSource.class);

    private final KubernetesClient client;
    private final long resyncMillis;
    private final EventAddresses addresses;
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private volatile SharedIndexInformer<HorizontalPodAutoscaler> hpaInformer;

    /** @param resyncMillis how often every object is sent again as a safety net (0 for never) */
    public WorkloadSource(KubernetesClient client, long resyncMillis) {
        this(client, resyncMillis, EventAddresses.SINGLE);
    }

    /** Publishes on {@code addresses} (a fleet's per-cluster ones). */
    public WorkloadSource(KubernetesClient client, long resyncMillis, EventAddresses addresses) {
        this.client = client;
        this.resyncMillis = resyncMillis;
        this.addresses = addresses;
    }

    @Override
    public void start(Promise<Void> started) {
        // informers call back on fabric8's threads; the event bus is safe to use from any thread
        hpaInformer = client.autoscaling().v2().horizontalPodAutoscalers().inAnyNamespace().runnableInformer(resyncMillis);
        List<Future<Void>> synced = new ArrayList<>();
        synced.add(watch(hpaInformer));
        synced.add(watch(client.apps().deployments().inAnyNamespace().runnableInformer(resyncMillis)));
        synced.add(watch(client.apps().statefulSets().inAnyNamespace().runnableInformer(resyncMillis)));
        synced.add(watch(client.apps().replicaSets().inAnyNamespace().runnableInformer(resyncMillis)));
        Future.all(synced).onComplete(ar -> {
            if (ar.succeeded()) {
                LOG.info("informers synced: horizontalpodautoscalers, deployments, statefulsets, replicasets");
                started.complete();
            } else {
                started.fail(ar.cause());
            }
        });
    }

    @Override
    public void stop() {
        informers.forEach(SharedIndexInformer::close);
        informers.clear();
    }

    /** The HPAs known now, from the informer's cache (safe to call from any thread; empty before start). */
    public List<HorizontalPodAutoscaler> hpas() {
        SharedIndexInformer<HorizontalPodAutoscaler> i = hpaInformer;
        return i == null ? List.of() : i.getStore().list();
    }

    private <T extends HasMetadata> Future<Void> watch(SharedIndexInformer<T> informer) {
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                publish(obj, false);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                publish(newObj, false);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                publish(obj, true);
            }
        });
        informers.add(informer);
        return Future.fromCompletionStage(informer.start()).mapEmpty();
    }

    private void publish(HasMetadata object, boolean deleted) {
        vertx.eventBus().send(addresses.objects(), new ObjectChanged(object, deleted));
    }
}
