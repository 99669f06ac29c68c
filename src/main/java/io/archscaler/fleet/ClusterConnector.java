package io.archscaler.fleet;

import io.archscaler.config.ClusterAccess;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;

/**
 * Opens a client to one workload cluster from its {@link ClusterAccess}: a kubeconfig file, a
 * kubeconfig in a Secret read with the replica's own client, or the Cluster API convention (the
 * management cluster's Secret {@code <cluster>-kubeconfig}, key {@code value}).
 */
public final class ClusterConnector {
    private final KubernetesClient own;

    /** @param own the replica's own client: the cluster it runs in, for CAPI the management cluster */
    public ClusterConnector(KubernetesClient own) {
        this.own = own;
    }

    public KubernetesClient connect(String cluster, ClusterAccess access) {
        String kubeconfig;
        if (access instanceof ClusterAccess.KubeconfigFile f) {
            try {
                kubeconfig = Files.readString(f.path(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cluster " + cluster + ": cannot read kubeconfig " + f.path(), e);
            }
        } else if (access instanceof ClusterAccess.KubeconfigSecret s) {
            kubeconfig = secretValue(cluster, s.namespace(), s.name(), s.key());
        } else {
            ClusterAccess.ClusterApi c = (ClusterAccess.ClusterApi) access;
            kubeconfig = secretValue(cluster, c.namespace(), c.secretName(), "value");
        }
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
    }

    /** The client Cluster API node groups of {@code access} are scaled through: MachineDeployments live in the management cluster. */
    public KubernetesClient clusterApiClient(ClusterAccess access, KubernetesClient workload) {
        return access instanceof ClusterAccess.ClusterApi ? own : workload;
    }

    private String secretValue(String cluster, String namespace, String name, String key) {
        Secret secret = own.secrets().inNamespace(namespace).withName(name).get();
        if (secret == null) {
            throw new IllegalStateException("cluster " + cluster + ": no Secret " + namespace + "/" + name);
        }
        String encoded = secret.getData() == null ? null : secret.getData().get(key);
        if (encoded == null) {
            throw new IllegalStateException("cluster " + cluster + ": Secret " + namespace + "/" + name + " has no key " + key);
        }
        return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    }
}
