package io.archscaler.cloud.aws.eks;

import io.archscaler.cloud.aws.AwsErrors;
import io.archscaler.cloud.aws.InstanceTypeFacts;
import io.archscaler.cloud.aws.InstanceTypeLookup;
import io.archscaler.cloud.aws.NodeAllocatable;
import io.archscaler.cloud.aws.ec2.Ec2Api;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.CapacityType;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.NodeTemplate;
import io.archscaler.scaler.model.Taint;
import io.archscaler.scaler.model.TaintEffect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.eks.model.Nodegroup;
import software.amazon.awssdk.services.eks.model.NodegroupScalingConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Turns a described managed node group into Archscaler's {@link NodeGroup}: arch from the AMI
 * type (or the instance type for {@code CUSTOM}), capacity from the instance type, and the labels
 * and taints EKS puts on its nodes, so a group at zero nodes still has a correct template.
 */
final class EksTemplates {
    static final String NODEGROUP_LABEL = "eks.amazonaws.com/nodegroup";
    static final String CAPACITY_TYPE_LABEL = CapacityType.EKS_LABEL;
    private static final Logger LOG = LoggerFactory.getLogger(EksTemplates.class);
    private static final long GIB = 1024L * 1024L * 1024L;

    private final Ec2Api ec2;
    private final InstanceTypeLookup instanceTypes;

    EksTemplates(Ec2Api ec2, InstanceTypeLookup instanceTypes) {
        this.ec2 = ec2;
        this.instanceTypes = instanceTypes;
    }

    /** The group, or empty (with a warning saying why) when its nodes cannot be described. */
    CompletionStage<Optional<NodeGroup>> toNodeGroup(Nodegroup ng) {
        return instanceType(ng).thenCompose(type -> {
            if (type.isEmpty()) {
                LOG.warn("eks node group {}: no instance type in the group or its launch template; group left out",
                        ng.nodegroupName());
                return CompletableFuture.completedFuture(Optional.empty());
            }
            return instanceTypes.facts(type.get()).thenApply(facts -> {
                if (facts.isEmpty()) {
                    LOG.warn("eks node group {}: instance type {} is unknown; group left out", ng.nodegroupName(),
                            type.get());
                    return Optional.empty();
                }
                return Optional.of(toNodeGroup(ng, facts.get()));
            });
        });
    }

    private NodeGroup toNodeGroup(Nodegroup ng, InstanceTypeFacts type) {
        String name = ng.nodegroupName();
        String amiType = ng.amiTypeAsString();
        Arch arch = AmiTypes.arch(amiType).orElse(type.arch());
        if (arch != type.arch()) {
            LOG.warn("eks node group {}: AMI type {} is {} but instance type {} is {}; using {}", name, amiType, arch,
                    type.name(), type.arch(), arch);
        }
        Map<String, String> labels = new TreeMap<>();
        if (AmiTypes.windows(amiType)) {
            labels.put(NodeTemplate.OS_LABEL, "windows");
        }
        labels.put(NODEGROUP_LABEL, name);
        if (ng.capacityTypeAsString() != null) {
            labels.put(CAPACITY_TYPE_LABEL, ng.capacityTypeAsString());
        }
        labels.putAll(ng.labels());
        long disk = ng.diskSize() == null ? 0 : ng.diskSize() * GIB;
        NodeTemplate template = NodeTemplate.forGroup(name, arch, type.name(), NodeAllocatable.of(type, disk), labels,
                taints(ng));
        NodegroupScalingConfig s = EksProvider.scaling(ng);
        // EKS labels its nodes eks.amazonaws.com/capacityType itself, so only that label is in the template
        CapacityType capacity = CapacityType.parse(ng.capacityTypeAsString()).orElse(CapacityType.ON_DEMAND);
        return new NodeGroup(name, EksProvider.ID, arch, s.minSize(), s.maxSize(), s.desiredSize(),
                NodeGroup.defaultWeight(arch, capacity), type.name(), type.pricePerHour(), template, capacity);
    }

    private static List<Taint> taints(Nodegroup ng) {
        List<Taint> taints = new ArrayList<>();
        for (var t : ng.taints()) {
            Optional<TaintEffect> effect = TaintEffect.parse(t.effectAsString());
            if (effect.isEmpty() || t.key() == null) {
                LOG.warn("eks node group {}: taint {}={}:{} not understood; left out of the template",
                        ng.nodegroupName(), t.key(), t.value(), t.effectAsString());
                continue;
            }
            taints.add(new Taint(t.key(), t.value(), effect.get()));
        }
        return taints;
    }

    /**
     * The group's first instance type; groups whose launch template sets the type list none,
     * so then the launch template version is read.
     */
    private CompletionStage<Optional<String>> instanceType(Nodegroup ng) {
        Optional<String> listed = ng.instanceTypes().stream().filter(t -> t != null && !t.isEmpty()).findFirst();
        if (listed.isPresent() || ng.launchTemplate() == null) {
            return CompletableFuture.completedFuture(listed);
        }
        var lt = ng.launchTemplate();
        return AwsErrors.guard(EksProvider.ID, "DescribeLaunchTemplateVersions", ng.nodegroupName(),
                ec2.launchTemplateInstanceType(lt.id(), lt.name(), lt.version()));
    }
}
