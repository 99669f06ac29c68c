package io.archscaler.cloud.simulated;

import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.Resources;
import io.archscaler.scaler.model.Taint;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TaintBuilder;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the Node object a simulated instance registers as. */
final class SimulatedNodes {
    private SimulatedNodes() {
    }

    static String providerId(String group, String node) {
        return "simulated:///" + group + "/" + node;
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
