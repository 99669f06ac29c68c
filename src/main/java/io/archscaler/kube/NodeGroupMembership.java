package io.archscaler.kube;

import io.archscaler.config.NodeGroupConfig;
import io.archscaler.config.ProviderSettings;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which configured node group a node belongs to, by its labels: Archscaler's own
 * {@code archscaler.io/node-group}, else the provider's ({@code eks.amazonaws.com/nodegroup},
 * {@code cluster.x-k8s.io/deployment-name}). A label value that names no configured group is
 * not a match, so the next label is tried.
 */
public final class NodeGroupMembership {
    public static final String ARCHSCALER_LABEL = "archscaler.io/node-group";
    public static final String EKS_LABEL = "eks.amazonaws.com/nodegroup";
    public static final String CLUSTER_API_LABEL = "cluster.x-k8s.io/deployment-name";
    /** The labels tried, in order. */
    public static final List<String> LABELS = List.of(ARCHSCALER_LABEL, EKS_LABEL, CLUSTER_API_LABEL);

    /** label → label value → group name */
    private final Map<String, Map<String, String>> byLabel = new HashMap<>();

    /** Membership where every label's value is the group's own name. */
    public NodeGroupMembership(Collection<String> groupNames) {
        for (String label : LABELS) {
            Map<String, String> m = byLabel.computeIfAbsent(label, k -> new HashMap<>());
            groupNames.forEach(g -> m.put(g, g));
        }
    }

    /**
     * Membership that also knows each group's name in its provider: an EKS group's
     * {@code nodegroupName}, a Cluster API group's MachineDeployment {@code name}.
     */
    public static NodeGroupMembership of(List<NodeGroupConfig> groups) {
        NodeGroupMembership m = new NodeGroupMembership(groups.stream().map(NodeGroupConfig::name).toList());
        for (NodeGroupConfig g : groups) {
            if (g.settings() instanceof ProviderSettings.Eks eks) {
                m.byLabel.get(EKS_LABEL).putIfAbsent(eks.nodegroupName(), g.name());
            } else if (g.settings() instanceof ProviderSettings.ClusterApi capi) {
                m.byLabel.get(CLUSTER_API_LABEL).putIfAbsent(capi.name(), g.name());
            }
        }
        return m;
    }

    /** The group a node with these labels belongs to, if any. */
    public Optional<String> groupOf(Map<String, String> labels) {
        if (labels == null) {
            return Optional.empty();
        }
        for (String label : LABELS) {
            String value = labels.get(label);
            if (value != null) {
                String group = byLabel.get(label).get(value);
                if (group != null) {
                    return Optional.of(group);
                }
            }
        }
        return Optional.empty();
    }
}
