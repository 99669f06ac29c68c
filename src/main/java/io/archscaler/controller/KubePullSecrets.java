package io.archscaler.controller;

import io.archscaler.images.InvalidPullSecretException;
import io.archscaler.images.PullSecretResolver;
import io.archscaler.images.RegistryCredentials;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Reads a pod's {@code imagePullSecrets} ({@code kubernetes.io/dockerconfigjson}) with the
 * Kubernetes client, off the event loop. A missing or unreadable secret is left out; its content
 * never reaches a log line.
 */
public final class KubePullSecrets implements PullSecretResolver {
    private static final Logger LOG = LoggerFactory.getLogger(KubePullSecrets.class);
    private static final String DOCKER_CONFIG_JSON = ".dockerconfigjson";

    private final KubernetesClient client;
    private final Executor executor;

    public KubePullSecrets(KubernetesClient client, Executor executor) {
        this.client = client;
        this.executor = executor;
    }

    @Override
    public CompletionStage<RegistryCredentials> credentials(String namespace, List<String> secretNames) {
        if (secretNames == null || secretNames.isEmpty()) {
            return CompletableFuture.completedFuture(RegistryCredentials.NONE);
        }
        return CompletableFuture.supplyAsync(() -> {
            RegistryCredentials merged = RegistryCredentials.NONE;
            for (String name : secretNames) {
                merged = merged.merge(read(namespace, name));
            }
            return merged;
        }, executor);
    }

    private RegistryCredentials read(String namespace, String name) {
        try {
            Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
            if (secret == null || secret.getData() == null || !secret.getData().containsKey(DOCKER_CONFIG_JSON)) {
                LOG.debug("pull secret {}/{} missing or not a dockerconfigjson secret", namespace, name);
                return RegistryCredentials.NONE;
            }
            String json = new String(Base64.getDecoder().decode(secret.getData().get(DOCKER_CONFIG_JSON)),
                    StandardCharsets.UTF_8);
            return RegistryCredentials.fromDockerConfigJson(json);
        } catch (InvalidPullSecretException | IllegalArgumentException | KubernetesClientException e) {
            // the reason only: the secret's content is never logged
            LOG.warn("pull secret {}/{} not usable: {}", namespace, name, e.getClass().getSimpleName());
            return RegistryCredentials.NONE;
        }
    }
}
