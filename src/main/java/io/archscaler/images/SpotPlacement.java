package io.archscaler.images;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Decides whether a new pod must stay off spot nodes so that its Deployment or StatefulSet keeps
 * within its {@code archscaler.io/max-spot-ratio} (the application implements it with the
 * Kubernetes client; the webhook only translates the answer into node affinity).
 */
@FunctionalInterface
public interface SpotPlacement {
    /** Never keeps a pod off spot. */
    SpotPlacement NONE = (namespace, pod) -> CompletableFuture.completedFuture(Optional.empty());

    /** Why the pod must stay off spot, or empty when it may go anywhere; never fails for bad input. */
    CompletionStage<Optional<String>> keepOffSpot(String namespace, Pod pod);
}
