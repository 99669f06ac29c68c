package io.archscaler.controller;

import io.archscaler.images.PodImageArchs;
import io.archscaler.images.PullSecretResolver;
import io.archscaler.scaler.model.Arch;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.vertx.core.Context;
import io.vertx.core.Future;

import java.util.List;
import java.util.Set;

/**
 * Looks up the architectures of a pod's images (with its pull secrets) and answers on the
 * scaler's context; a null set means "unknown: plan on the pod's own constraints".
 */
final class PodImageLookups {
    private final PodImageArchs archs;
    private final PullSecretResolver pullSecrets;

    PodImageLookups(PodImageArchs archs, PullSecretResolver pullSecrets) {
        this.archs = archs;
        this.pullSecrets = pullSecrets;
    }

    Future<Set<Arch>> lookup(Pod pod, Context context) {
        List<String> secrets = pod.getSpec() == null || pod.getSpec().getImagePullSecrets() == null ? List.of()
                : pod.getSpec().getImagePullSecrets().stream().map(LocalObjectReference::getName).toList();
        return Future.fromCompletionStage(pullSecrets.credentials(pod.getMetadata().getNamespace(), secrets)
                .thenCompose(creds -> archs.archsOf(pod, creds)), context)
                .otherwise(e -> null);
    }
}
