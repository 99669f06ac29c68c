package io.archscaler.config;

import io.archscaler.cloud.instancetypes.EksAllocatable;
import io.archscaler.cloud.instancetypes.InstanceType;
import io.archscaler.cloud.instancetypes.InstanceTypeCatalog;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.CapacityType;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.Resources;
import io.archscaler.scaler.model.Taint;
import io.archscaler.scaler.model.TaintEffect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Reads {@code nodeGroups[]}: sizes, arch, price and capacity (from the catalog where left out), provider block. */
final class NodeGroupParser {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** The kubelet's default when neither the group nor the catalog says. */
    static final long DEFAULT_MAX_PODS = 110;
    private static final Map<String, Arch> ARCHES = arches();
    private static final Map<String, CapacityType> CAPACITY_TYPES = capacityTypes();
    private static final Map<String, TaintEffect> EFFECTS = effects();
    private static final Map<String, String> CLUSTER_API_KINDS = kinds();

    private final InstanceTypeCatalog catalog;
    private final String cluster;

    NodeGroupParser(InstanceTypeCatalog catalog, String cluster) {
        this.catalog = catalog;
        this.cluster = cluster;
    }

    /** @param discovers whether discovery is configured: then {@code nodeGroups} may be left out or empty */
    List<NodeGroupConfig> parse(YamlSection root, boolean discovers) {
        if (!root.has("nodeGroups")) {
            if (discovers) {
                return List.of();
            }
            throw root.missing("nodeGroups");
        }
        List<YamlSection> items = root.sections("nodeGroups");
        if (items.isEmpty() && !discovers) {
            throw root.error("nodeGroups", "at least one node group is required");
        }
        List<NodeGroupConfig> groups = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (YamlSection g : items) {
            NodeGroupConfig group = group(g);
            Integer first = seen.putIfAbsent(group.name(), g.lineOf("name"));
            if (first != null) {
                throw g.error("name", "duplicate node group name \"" + group.name() + "\" (first used on line " + first + ")");
            }
            groups.add(group);
        }
        return groups;
    }

    private NodeGroupConfig group(YamlSection g) {
        g.requireKnown("name", "provider", "arch", "minSize", "maxSize", "weight", "instanceType", "pricePerHour",
                "capacity", "labels", "taints", "capacityType", "eks", "asg", "ec2", "clusterapi", "simulated");
        String name = g.string("name");
        if (!DNS_LABEL.matcher(name).matches()) {
            throw g.error("name", "must be a DNS label: lower-case letters, digits and '-', starting and ending"
                    + " with a letter or digit, at most 63 characters (got \"" + name + "\")");
        }
        ProviderType provider = g.choice("provider", ProviderType.byId());
        String instanceType = g.optionalString("instanceType").orElse(null);
        Optional<InstanceType> known = catalog.find(instanceType);
        Arch arch = arch(g, instanceType, known);
        int minSize = g.count("minSize", 0);
        int maxSize = g.count("maxSize");
        if (minSize > maxSize) {
            throw g.error("minSize", "must not exceed maxSize (got minSize " + minSize + " > maxSize " + maxSize + ")");
        }
        CapacityType capacityType = g.choice("capacityType", CAPACITY_TYPES, CapacityType.ON_DEMAND);
        int weight = g.between("weight", NodeGroup.defaultWeight(arch, capacityType), 0, 1000);
        double price = g.decimal("pricePerHour", known.map(InstanceType::pricePerHour).orElse(0.0), 0, Double.MAX_VALUE);
        Resources capacity = capacity(g, instanceType, known);
        Map<String, String> labels = g.stringMap("labels");
        List<Taint> taints = taints(g);
        ProviderSettings settings = settings(g, provider, name, instanceType);
        return new NodeGroupConfig(name, provider, arch, new NodeGroupConfig.Scaling(minSize, maxSize, weight),
                new NodeGroupConfig.NodeShape(instanceType, price, capacity, labels, taints, capacityType), settings,
                given(g));
    }

    /** The group's keys that were given with a value. */
    private static Set<String> given(YamlSection g) {
        Set<String> given = new TreeSet<>();
        for (String key : g.keys()) {
            if (g.has(key)) {
                given.add(key);
            }
        }
        return given;
    }

    private static Arch arch(YamlSection g, String instanceType, Optional<InstanceType> known) {
        if (!g.has("arch")) {
            return known.map(InstanceType::arch).orElseThrow(() -> g.missing("arch").withHint(instanceType == null
                    ? "give arch or an instanceType from the bundled catalog"
                    : "instance type " + instanceType + " is not in the bundled catalog, so arch must be given"));
        }
        Arch arch = g.choice("arch", ARCHES);
        if (known.isPresent() && known.get().arch() != arch) {
            throw g.error("arch", arch + " does not match instance type " + instanceType + ", which is "
                    + known.get().arch());
        }
        return arch;
    }

    /**
     * The group's capacity taken as allocatable as written; what is left out comes from the
     * catalog (capacity minus EKS's kube-reserved and eviction threshold), pods otherwise from
     * the kubelet default and ephemeral storage from a 20Gi root volume.
     */
    private static Resources capacity(YamlSection g, String instanceType, Optional<InstanceType> known) {
        Resources derived = known.map(EksAllocatable::of).orElse(null);
        Optional<YamlSection> section = g.section("capacity");
        if (section.isEmpty()) {
            if (derived == null) {
                throw g.missing("capacity").withHint(instanceType == null
                        ? "give capacity {cpu, memory} or an instanceType from the bundled catalog"
                        : "instance type " + instanceType + " is not in the bundled catalog");
            }
            return derived;
        }
        YamlSection c = section.get();
        Map<String, String> given = g.stringMap("capacity");
        for (String key : given.keySet()) {
            if (!List.of("cpu", "memory", "pods", "ephemeral-storage").contains(key) && !key.contains("/")
                    && !key.startsWith("hugepages-")) {
                throw c.error(key, "unknown key (expected one of: cpu, memory, pods, ephemeral-storage,"
                        + " or an extended resource such as nvidia.com/gpu)");
            }
        }
        Resources parsed = Resources.ZERO;
        for (Map.Entry<String, String> e : given.entrySet()) {
            Resources one = c.atLineOf(e.getKey(), () -> Resources.parse(c.path(), Map.of(e.getKey(), e.getValue())));
            parsed = parsed.plus(one);
        }
        long cpu = parsed.cpuMillis();
        long memory = parsed.memoryBytes();
        if (!given.containsKey("cpu") || !given.containsKey("memory")) {
            String key = given.containsKey("cpu") ? "memory" : "cpu";
            if (derived == null) {
                throw c.missing(key).withHint(instanceType == null
                        ? "no instanceType to derive it from"
                        : "instance type " + instanceType + " is not in the bundled catalog");
            }
            cpu = given.containsKey("cpu") ? cpu : derived.cpuMillis();
            memory = given.containsKey("memory") ? memory : derived.memoryBytes();
        }
        long pods = given.containsKey("pods") ? parsed.pods() : derived != null ? derived.pods() : DEFAULT_MAX_PODS;
        long ephemeral = given.containsKey("ephemeral-storage") ? parsed.ephemeralStorageBytes()
                : EksAllocatable.DEFAULT_EPHEMERAL_STORAGE_BYTES;
        Map<String, Long> extended = new TreeMap<>(derived == null ? Map.of() : derived.extended());
        extended.putAll(parsed.extended());
        return new Resources(cpu, memory, ephemeral, pods, extended);
    }

    private static List<Taint> taints(YamlSection g) {
        List<Taint> taints = new ArrayList<>();
        for (YamlSection t : g.sections("taints")) {
            t.requireKnown("key", "value", "effect");
            taints.add(new Taint(t.string("key"), t.string("value", ""), t.choice("effect", EFFECTS)));
        }
        return taints;
    }

    private ProviderSettings settings(YamlSection g, ProviderType provider, String name, String instanceType) {
        for (ProviderType other : ProviderType.values()) {
            if (other != provider && g.has(other.id())) {
                throw g.error(other.id(), "not allowed for provider " + provider
                        + " (only the \"" + provider.id() + "\" block may be given)");
            }
        }
        YamlSection p = g.sectionOrEmpty(provider.id());
        return switch (provider) {
            case EKS -> {
                p.requireKnown("clusterName", "nodegroupName");
                yield new ProviderSettings.Eks(p.string("clusterName", cluster), p.string("nodegroupName", name));
            }
            case ASG -> {
                p.requireKnown("name");
                yield new ProviderSettings.Asg(p.string("name", name));
            }
            case EC2 -> {
                p.requireKnown("launchTemplate", "instanceTypes", "subnets", "launchTemplateVersion");
                List<String> types = p.strings("instanceTypes");
                if (types.isEmpty() && instanceType == null) {
                    throw p.missing("instanceTypes").withHint("or give the group an instanceType");
                }
                yield new ProviderSettings.Ec2(p.string("launchTemplate"), p.optionalString("launchTemplateVersion")
                        .orElse(null), types.isEmpty() ? List.of(instanceType) : types, p.strings("subnets"));
            }
            case CLUSTERAPI -> {
                p.requireKnown("namespace", "name", "kind", "provisionTimeout");
                yield new ProviderSettings.ClusterApi(p.string("namespace", "default"), p.string("name", name),
                        p.choice("kind", CLUSTER_API_KINDS, ProviderSettings.ClusterApi.MACHINE_DEPLOYMENT),
                        p.has("provisionTimeout") ? p.positiveDuration("provisionTimeout", null) : null);
            }
            case SIMULATED -> {
                p.requireKnown("registrationDelay");
                yield new ProviderSettings.Simulated(p.duration("registrationDelay", Duration.ofSeconds(5)));
            }
        };
    }

    private static Map<String, Arch> arches() {
        Map<String, Arch> m = new LinkedHashMap<>();
        for (Arch a : Arch.values()) {
            m.put(a.label(), a);
        }
        return m;
    }

    private static Map<String, CapacityType> capacityTypes() {
        Map<String, CapacityType> m = new LinkedHashMap<>();
        for (CapacityType c : CapacityType.values()) {
            m.put(c.label(), c);
        }
        return m;
    }

    private static Map<String, TaintEffect> effects() {
        Map<String, TaintEffect> m = new LinkedHashMap<>();
        for (TaintEffect e : TaintEffect.values()) {
            m.put(e.kubernetesName(), e);
        }
        return m;
    }

    private static Map<String, String> kinds() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(ProviderSettings.ClusterApi.MACHINE_DEPLOYMENT, ProviderSettings.ClusterApi.MACHINE_DEPLOYMENT);
        m.put(ProviderSettings.ClusterApi.MACHINE_SET, ProviderSettings.ClusterApi.MACHINE_SET);
        return m;
    }
}
