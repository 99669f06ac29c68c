package io.archscaler.controller;

import io.archscaler.images.PodImageArchs;
import io.archscaler.images.PullSecretResolver;
import io.archscaler.scaler.model.Arch;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

import java.util.List;
import java.util.Set;

/**
 * Looks up the architectures of pending pods' images (with their pull secrets), answering on the
 * scaler's context, and keeps the lookups under way so a batch can wait for them before it is
 * planned. A null set means "unknown: plan on the pod's own constraints". Used on one context only.
 */
final class PodImageLookups {
    private final PodImageArchs archs;
    private final PullSecretResolver pullSecrets;
    private final Duration maxWait;
    private final Map<String, Future<Set<Arch>>> underWay = new HashMap<>();

    /** {@code maxWait}: how long a batch waits at most for its lookups before it is planned anyway. */
    PodImageLookups(PodImageArchs archs, PullSecretResolver pullSecrets, Duration maxWait) {
        this.archs = archs;
        this.pullSecrets = pullSecrets;
        this.maxWait = maxWait;
    }

    /** Starts the lookup of a newly pending pod; {@code found} gets the answer on {@code context}. */
    void start(Pod pod, Context context, BiConsumer<String, Set<Arch>> found) {
        String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
        Future<Set<Arch>> f = lookup(pod, context);
        underWay.put(key, f);
        f.onComplete(ar -> {
            underWay.remove(key);
            found.accept(key, ar.result());
        });
    }

    /** Completes when the lookups under way have answered, or after maxWait. */
    Future<Void> settled(Vertx vertx) {
        if (underWay.isEmpty()) {
            return Future.succeededFuture();
        }
        Promise<Void> done = Promise.promise();
        long timer = vertx.setTimer(Math.max(1, maxWait.toMillis()), id -> done.tryComplete());
        Future.join(List.copyOf(underWay.values())).onComplete(ar -> {
            vertx.cancelTimer(timer);
            done.tryComplete();
        });
        return done.future();
    }

    private Future<Set<Arch>> lookup(Pod pod, Context context) {
        List<String> secrets = pod.getSpec() == null || pod.getSpec().getImagePullSecrets() == null ? List.of()
                : pod.getSpec().getImagePullSecrets().stream().map(LocalObjectReference::getName).toList();
        return Future.fromCompletionStage(pullSecrets.credentials(pod.getMetadata().getNamespace(), secrets)
                .thenCompose(creds -> archs.archsOf(pod, creds)), context)
                .otherwise(e -> null);
    }
}
