package io.archscaler.controller;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * Which pod, and which incarnation of it: all the scaler keeps of a pending pod's object besides
 * its model, so twenty thousand pending pods do not hold twenty thousand fabric8 Pods.
 */
record PodRef(String namespace, String name, String uid) {
    static PodRef of(Pod pod) {
        return new PodRef(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), pod.getMetadata().getUid());
    }

    /** {@code namespace/name}. */
    String key() {
        return namespace + "/" + name;
    }
}
