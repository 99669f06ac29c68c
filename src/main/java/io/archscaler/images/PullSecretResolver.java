package io.archscaler.images;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Reads the pull secrets a pod names into credentials (the application implements it with the
 * Kubernetes client; a secret that is missing or unreadable is left out, never a failure).
 */
@FunctionalInterface
public interface PullSecretResolver {
    /** Resolves nothing: every registry is asked anonymously. */
    PullSecretResolver NONE = (namespace, secretNames) -> CompletableFuture.completedFuture(RegistryCredentials.NONE);

    /** The credentials in the named {@code kubernetes.io/dockerconfigjson} secrets of a namespace, merged in order. */
    CompletionStage<RegistryCredentials> credentials(String namespace, List<String> secretNames);
}
