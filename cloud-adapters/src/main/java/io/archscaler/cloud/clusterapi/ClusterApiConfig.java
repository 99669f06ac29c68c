package io.archscaler.cloud.clusterapi;

import io.archscaler.scaler.model.Arch;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where the Cluster API provider looks for node groups and what it calls them.
 *
 * @param namespace   the namespace of the MachineDeployments and MachineSets, or {@code null} for all namespaces
 * @param groupNames  optional explicit node groups: {@code <namespace>/<name>} of a MachineDeployment (or standalone
 *                    MachineSet) to the node group name Archscaler uses for it. When empty, every annotated
 *                    resource is a group named {@code <namespace>/<name>}; when given, only these are.
 * @param defaultArch the architecture of a group whose labels annotation and infrastructure template do not say
 *                    (the Cluster Autoscaler's {@code CAPI_SCALE_ZERO_DEFAULT_ARCH}, which also defaults to amd64)
 * @param provisionTimeouts {@code <namespace>/<name>} of a resource to how long its Machines may go without a
 *                    provider ID before they count as failed; a resource not listed has no such limit
 */
public record ClusterApiConfig(String namespace, Map<String, String> groupNames, Arch defaultArch,
                               Map<String, Duration> provisionTimeouts) {

    public ClusterApiConfig(String namespace, Map<String, String> groupNames, Arch defaultArch) {
        this(namespace, groupNames, defaultArch, Map.of());
    }

    public ClusterApiConfig {
        provisionTimeouts = provisionTimeouts == null ? Map.of() : Map.copyOf(provisionTimeouts);
        provisionTimeouts.forEach((key, timeout) -> {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("clusterapi provisionTimeout of " + key
                        + ": must be a positive duration, was " + timeout);
            }
        });
        namespace = namespace == null || namespace.isBlank() ? null : namespace.trim();
        groupNames = groupNames == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(groupNames));
        defaultArch = defaultArch == null ? Arch.AMD64 : defaultArch;
        Map<String, String> seen = new HashMap<>();
        for (Map.Entry<String, String> e : groupNames.entrySet()) {
            String key = e.getKey();
            int slash = key.indexOf('/');
            if (slash <= 0 || slash == key.length() - 1 || key.indexOf('/', slash + 1) >= 0) {
                throw new IllegalArgumentException("clusterapi groupNames: key \"" + key
                        + "\" must be <namespace>/<name> of a MachineDeployment or MachineSet");
            }
            if (namespace != null && !key.substring(0, slash).equals(namespace)) {
                throw new IllegalArgumentException("clusterapi groupNames: key \"" + key
                        + "\" is outside the configured namespace " + namespace);
            }
            String name = e.getValue();
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("clusterapi groupNames: \"" + key + "\" has an empty group name");
            }
            String other = seen.put(name, key);
            if (other != null) {
                throw new IllegalArgumentException("clusterapi groupNames: group name \"" + name
                        + "\" is given to both " + other + " and " + key);
            }
        }
    }

    /** Every annotated MachineDeployment and MachineSet in the cluster. */
    public static ClusterApiConfig allNamespaces() {
        return new ClusterApiConfig(null, Map.of(), Arch.AMD64);
    }

    /** Every annotated MachineDeployment and MachineSet in one namespace. */
    public static ClusterApiConfig inNamespace(String namespace) {
        return new ClusterApiConfig(namespace, Map.of(), Arch.AMD64);
    }

    public ClusterApiConfig withGroupNames(Map<String, String> names) {
        return new ClusterApiConfig(namespace, names, defaultArch, provisionTimeouts);
    }

    public ClusterApiConfig withDefaultArch(Arch arch) {
        return new ClusterApiConfig(namespace, groupNames, arch, provisionTimeouts);
    }

    public ClusterApiConfig withProvisionTimeouts(Map<String, Duration> timeouts) {
        return new ClusterApiConfig(namespace, groupNames, defaultArch, timeouts);
    }

    /** How long Machines of the resource {@code <namespace>/<name>} may go without a provider ID, or null. */
    Duration provisionTimeout(String resourceKey) {
        return provisionTimeouts.get(resourceKey);
    }

    /** The node group name of a resource, or empty when the configuration leaves it out. */
    Optional<String> groupNameOf(String resourceNamespace, String resourceName) {
        if (namespace != null && !namespace.equals(resourceNamespace)) {
            return Optional.empty();
        }
        String key = resourceNamespace + "/" + resourceName;
        if (groupNames.isEmpty()) {
            return Optional.of(key);
        }
        return Optional.ofNullable(groupNames.get(key));
    }

    /** The {@code <namespace>/<name>} of the resource behind a group name, or empty when no such group can exist. */
    Optional<String> resourceKeyOf(String groupName) {
        if (groupName == null) {
            return Optional.empty();
        }
        if (!groupNames.isEmpty()) {
            return groupNames.entrySet().stream().filter(e -> e.getValue().equals(groupName))
                    .map(Map.Entry::getKey).findFirst();
        }
        int slash = groupName.indexOf('/');
        if (slash <= 0 || slash == groupName.length() - 1 || groupName.indexOf('/', slash + 1) >= 0) {
            return Optional.empty();
        }
        if (namespace != null && !groupName.substring(0, slash).equals(namespace)) {
            return Optional.empty();
        }
        return Optional.of(groupName);
    }
}
