package io.archscaler.config;

import java.nio.file.Path;

/** How a fleet replica reaches one workload cluster's API server. */
public sealed interface ClusterAccess {

    /** A kubeconfig file on the replica's disk (a mounted Secret, say). */
    record KubeconfigFile(Path path) implements ClusterAccess {
    }

    /** A kubeconfig held in a Secret, read with the replica's own client. */
    record KubeconfigSecret(String namespace, String name, String key) implements ClusterAccess {
    }

    /**
     * A Cluster API workload cluster: its kubeconfig is the management cluster's Secret
     * {@code <name>-kubeconfig}, key {@code value}, and the replica's own client is the management cluster.
     */
    record ClusterApi(String namespace, String name) implements ClusterAccess {
        /** The Secret Cluster API writes the workload cluster's admin kubeconfig into. */
        public String secretName() {
            return name + "-kubeconfig";
        }
    }
}
