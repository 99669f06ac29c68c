package io.archscaler.providers;

import io.archscaler.cloud.aws.asg.AsgProvider;
import io.archscaler.cloud.aws.eks.EksProvider;
import io.archscaler.config.ConfigException;
import io.archscaler.config.NodeGroupConfig;
import io.archscaler.scaler.model.CapacityType;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.NodeTemplate;
import io.archscaler.scaler.model.Taint;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How the groups one provider reports become Archscaler's node groups. A configured group is the
 * provider's group of its provider name (an EKS {@code nodegroupName}, an Auto Scaling group's
 * name), called by its configured name, with what the file gave laid over what the provider
 * reports. A group the provider reports that is not configured is a discovered group: it keeps
 * the provider's name and values, unless discovery is off for this provider or the name is
 * excluded (a configured group already has it: configured entries win).
 */
public final class GroupMapping {
    private static final Logger LOG = LoggerFactory.getLogger(GroupMapping.class);
    private final String provider;
    private final Map<String, NodeGroupConfig> byProviderName;
    private final Map<String, String> providerNameOf;
    private final boolean discovers;
    private final Set<String> excluded;

    private GroupMapping(String provider, Map<String, NodeGroupConfig> byProviderName, boolean discovers,
                         Set<String> excluded) {
        this.provider = provider;
        this.byProviderName = Collections.unmodifiableMap(new LinkedHashMap<>(byProviderName));
        Map<String, String> names = new LinkedHashMap<>();
        byProviderName.forEach((providerName, group) -> names.put(group.name(), providerName));
        this.providerNameOf = Collections.unmodifiableMap(names);
        this.discovers = discovers;
        this.excluded = Set.copyOf(excluded);
    }

    /** Only these configured groups, keyed by their name in the provider; anything else the provider reports is left out. */
    public static GroupMapping configured(String provider, Map<String, NodeGroupConfig> byProviderName) {
        return new GroupMapping(provider, byProviderName, false, Set.of());
    }

    /** The same configured groups, and every other group the provider reports unless its name is {@code excluded}. */
    public GroupMapping withDiscovered(Set<String> excludedNames) {
        return new GroupMapping(provider, byProviderName, true, excludedNames);
    }

    public boolean isConfigured(String group) {
        return providerNameOf.containsKey(group);
    }

    /** The provider's own name of the configured group {@code group}. */
    public String providerNameOfConfigured(String group) {
        return providerNameOf.get(group);
    }

    /**
     * Whether calls about {@code group} may go to the provider: a configured group, or a
     * discovered one this mapping passes (not a configured group's provider name in disguise).
     */
    public boolean accepts(String group) {
        if (isConfigured(group)) {
            return true;
        }
        return discovers && !excluded.contains(group) && !byProviderName.containsKey(group);
    }

    /** The name the provider knows {@code group} by. Call only for groups this mapping {@link #accepts}. */
    public String providerName(String group) {
        return providerNameOf.getOrDefault(group, group);
    }

    /** Archscaler's groups among what the provider reported: configured ones renamed and overlaid, then discovered ones. */
    public List<NodeGroup> toArchscaler(List<NodeGroup> reported) {
        Map<String, NodeGroup> byName = new TreeMap<>();
        reported.forEach(g -> byName.put(g.name(), g));
        List<NodeGroup> out = new ArrayList<>();
        byProviderName.forEach((providerName, configured) -> {
            NodeGroup g = byName.get(providerName);
            if (g != null) {
                out.add(overlay(g, configured));
            }
        });
        if (discovers) {
            byName.values().stream()
                    .filter(g -> !byProviderName.containsKey(g.name()) && !excluded.contains(g.name()))
                    .forEach(out::add);
        }
        return List.copyOf(out);
    }

    /**
     * The configured group as the provider reports it: arch, instance type, capacity and target
     * size from the provider; weight and price when the file gave them; the file's labels and
     * taints added to the provider's; and the file's sizes kept within the provider's own min and
     * max, since the provider refuses to go beyond them anyway.
     *
     * @throws ConfigException when the provider reports another arch than the file says
     */
    NodeGroup overlay(NodeGroup reported, NodeGroupConfig configured) {
        if (reported.arch() != configured.arch()) {
            throw new ConfigException("node group " + configured.name() + ": configured as " + configured.arch()
                    + (configured.gave("arch") ? "" : " (from instance type " + configured.instanceType() + ")")
                    + ", but " + provider + " reports " + reported.name() + " as " + reported.arch()
                    + (reported.instanceType() == null ? "" : " (" + reported.instanceType() + ")")
                    + "; fix arch or instanceType in the config");
        }
        int min = configured.gave("minSize") ? Math.max(configured.minSize(), reported.minSize()) : reported.minSize();
        int max = configured.gave("maxSize") ? Math.min(configured.maxSize(), reported.maxSize()) : reported.maxSize();
        if (min > max) {
            min = reported.minSize();
            max = reported.maxSize();
        }
        CapacityType capacity = capacityType(reported, configured);
        int weight = configured.gave("weight") ? configured.weight()
                : configured.gave("capacityType") ? NodeGroup.defaultWeight(reported.arch(), capacity) : reported.weight();
        double price = configured.gave("pricePerHour") || reported.pricePerHour() <= 0
                ? configured.pricePerHour() : reported.pricePerHour();
        String instanceType = reported.instanceType() != null ? reported.instanceType() : configured.instanceType();
        Map<String, String> labels = new TreeMap<>(reported.template().labels());
        labels.remove(NodeTemplate.GROUP_LABEL);
        labels.putAll(configured.labels());
        NodeTemplate template = NodeTemplate.forGroup(configured.name(), reported.arch(), instanceType,
                reported.template().allocatable(), labels, taints(reported.template().taints(), configured.taints()));
        return new NodeGroup(configured.name(), reported.provider(), reported.arch(), min, max, reported.targetSize(),
                weight, instanceType, price, template, capacity);
    }

    /**
     * The file's capacity type when it gives one, else the provider's. A file that says otherwise
     * than the provider wins (the planner ranks by it), with a warning: the cloud launches what it
     * is set up for.
     */
    private CapacityType capacityType(NodeGroup reported, NodeGroupConfig configured) {
        if (!configured.gave("capacityType")) {
            return reported.capacityType();
        }
        boolean providerKnows = EksProvider.ID.equals(provider) || AsgProvider.ID.equals(provider);
        if (providerKnows && configured.capacityType() != reported.capacityType()) {
            LOG.warn("node group {}: configured as {}, but {} reports {} as {}; planning it as {}", configured.name(),
                    configured.capacityType(), provider, reported.name(), reported.capacityType(),
                    configured.capacityType());
        }
        return configured.capacityType();
    }

    /** The provider's taints, each replaced by a configured one of the same key and effect, then the other configured ones. */
    private static List<Taint> taints(List<Taint> reported, List<Taint> configured) {
        List<Taint> out = new ArrayList<>();
        for (Taint t : reported) {
            boolean replaced = configured.stream().anyMatch(c -> c.key().equals(t.key()) && c.effect() == t.effect());
            if (!replaced) {
                out.add(t);
            }
        }
        out.addAll(configured);
        return out;
    }
}
