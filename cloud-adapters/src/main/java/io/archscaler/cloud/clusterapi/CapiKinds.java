package io.archscaler.cloud.clusterapi;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.Locale;

/** The Cluster API kinds, labels and annotations this provider reads and writes (cluster.x-k8s.io/v1beta1). */
final class CapiKinds {
    static final String GROUP = "cluster.x-k8s.io";
    static final String VERSION = "v1beta1";
    static final String MACHINE_DEPLOYMENT = "MachineDeployment";
    static final String MACHINE_SET = "MachineSet";
    static final String MACHINE = "Machine";

    static final String MIN_SIZE = "cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size";
    static final String MAX_SIZE = "cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size";
    static final String DELETE_MACHINE = "cluster.x-k8s.io/delete-machine";
    static final String DEPLOYMENT_NAME_LABEL = "cluster.x-k8s.io/deployment-name";
    static final String SET_NAME_LABEL = "cluster.x-k8s.io/set-name";

    static final String CAPACITY_PREFIX = "capacity.cluster-autoscaler.kubernetes.io/";
    static final String CPU = CAPACITY_PREFIX + "cpu";
    static final String MEMORY = CAPACITY_PREFIX + "memory";
    static final String EPHEMERAL_DISK = CAPACITY_PREFIX + "ephemeral-disk";
    static final String MAX_PODS = CAPACITY_PREFIX + "maxPods";
    static final String GPU_COUNT = CAPACITY_PREFIX + "gpu-count";
    static final String GPU_TYPE = CAPACITY_PREFIX + "gpu-type";
    static final String LABELS = CAPACITY_PREFIX + "labels";
    static final String TAINTS = CAPACITY_PREFIX + "taints";

    /** The Cluster Autoscaler's default when neither annotations nor the infrastructure template say. */
    static final long DEFAULT_MAX_PODS = 110;

    static final ResourceDefinitionContext MACHINE_DEPLOYMENTS = context(GROUP, VERSION, MACHINE_DEPLOYMENT);
    static final ResourceDefinitionContext MACHINE_SETS = context(GROUP, VERSION, MACHINE_SET);
    static final ResourceDefinitionContext MACHINES = context(GROUP, VERSION, MACHINE);

    private CapiKinds() {
    }

    static ResourceDefinitionContext scalable(String kind) {
        return MACHINE_SET.equals(kind) ? MACHINE_SETS : MACHINE_DEPLOYMENTS;
    }

    /**
     * A namespaced resource whose plural is the lower-cased kind plus "s", the rule the Cluster
     * Autoscaler uses for infrastructure templates, so no discovery call is needed.
     */
    static ResourceDefinitionContext context(String group, String version, String kind) {
        return new ResourceDefinitionContext.Builder()
                .withGroup(group)
                .withVersion(version)
                .withKind(kind)
                .withPlural(kind.toLowerCase(Locale.ROOT) + "s")
                .withNamespaced(true)
                .build();
    }
}
