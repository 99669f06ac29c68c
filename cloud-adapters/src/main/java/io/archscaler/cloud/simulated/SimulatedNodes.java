package io.archscaler.cloud.simulated;

import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.Resources;
import io.archscaler.scaler.model.Taint;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TaintBuilder;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** Builds the Node object a simulated instance registers as. */
final class SimulatedNodes {
    /** The one zone of the simulated cloud. */
    static final String ZONE = "us-west-2a";

    private SimulatedNodes() {
    }

    /**
     * The providerID the kubelet's AWS cloud provider would give the node: the simulated cloud
     * stands in for EC2, and an interruption message names its instance by an EC2 instance id,
     * here one derived from the group and node names.
     */
    static String providerId(String group, String node) {
        long bits = UUID.nameUUIDFromBytes((group + "/" + node).getBytes(StandardCharsets.UTF_8))
                .getMostSignificantBits();
        return "aws:///" + ZONE + "/i-0" + String.format(Locale.ROOT, "%016x", bits);
    }

    static Node node(NodeGroup group, String name) {
        Map<String, Quantity> allocatable = quantities(group.template().allocatable());
        List<io.fabric8.kubernetes.api.model.Taint> taints = group.template().taints().stream()
                .map(SimulatedNodes::taint).toList();
        Map<String, String> labels = new LinkedHashMap<>(group.template().labels());
        labels.put("kubernetes.io/hostname", name);
        return new NodeBuilder()
                .withNewMetadata().withName(name).withLabels(labels)
                .withCreationTimestamp(Instant.now().toString()).endMetadata()
                .withNewSpec().withProviderID(providerId(group.name(), name)).withTaints(taints).endSpec()
                .withNewStatus()
                .withCapacity(allocatable).withAllocatable(allocatable)
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
                .withLastTransitionTime(Instant.now().toString()).endCondition()
                .withNewNodeInfo().withArchitecture(group.arch().label()).withOperatingSystem("linux")
                .withKubeletVersion("v1.31.0").endNodeInfo()
                .endStatus()
                .build();
    }

    static Map<String, Quantity> quantities(Resources r) {
        Map<String, Quantity> q = new LinkedHashMap<>();
        q.put("cpu", new Quantity(r.cpuMillis() + "m"));
        q.put("memory", new Quantity(Long.toString(r.memoryBytes())));
        q.put("ephemeral-storage", new Quantity(Long.toString(r.ephemeralStorageBytes())));
        q.put("pods", new Quantity(Long.toString(r.pods())));
        r.extended().forEach((k, v) -> q.put(k, new Quantity(Long.toString(v))));
        return q;
    }

    private static io.fabric8.kubernetes.api.model.Taint taint(Taint t) {
        return new TaintBuilder().withKey(t.key()).withValue(t.value().isEmpty() ? null : t.value())
                .withEffect(t.effect().kubernetesName()).build();
    }
}
