package io.archscaler.cloud.clusterapi;

import io.archscaler.cloud.CloudApiException;
import io.archscaler.cloud.Instance;
import io.archscaler.cloud.InstanceState;
import io.archscaler.cloud.NodeGroupNotFoundException;
import io.archscaler.cloud.NodeGroupProvider;
import io.archscaler.cloud.NodeRef;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.NodeTemplate;
import io.archscaler.scaler.model.Resources;
import io.archscaler.scaler.model.Taint;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.autoscaling.v1.ScaleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Node groups backed by Cluster API MachineDeployments and standalone MachineSets that carry the
 * Cluster Autoscaler's min/max-size annotations (bare metal through Metal3 or Tinkerbell, or any
 * other infrastructure provider). Sizes change only through the {@code /scale} subresource, with
 * the resourceVersion last read so a concurrent writer makes the write fail with a retryable 409
 * rather than be overwritten. A node is removed by annotating its Machine with
 * {@code cluster.x-k8s.io/delete-machine} and then lowering the replicas by one, so the
 * MachineSet controller deletes exactly that Machine. Machines that failed or never got a provider
 * ID are reported by {@link #instances} with their error, and {@link #decreaseTargetSize} removes
 * them the same way. Blocking fabric8 calls run on the executor given to the constructor; nothing
 * here depends on Vert.x.
 */
public final class ClusterApiNodeGroupProvider implements NodeGroupProvider {
    public static final String ID = "clusterapi";
    private static final Logger LOG = LoggerFactory.getLogger(ClusterApiNodeGroupProvider.class);

    private final KubernetesClient client;
    private final ClusterApiConfig config;
    private final Executor executor;
    private final Clock clock;

    /**
     * @param executor runs the blocking Kubernetes calls (a worker pool, never an event loop)
     * @param clock    stamps the delete-machine annotation and ages Machines against their provision timeout
     */
    public ClusterApiNodeGroupProvider(KubernetesClient client, ClusterApiConfig config, Executor executor, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.config = Objects.requireNonNull(config, "config");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public CompletionStage<List<NodeGroup>> nodeGroups() {
        return call("nodeGroups", null, this::discover);
    }

    @Override
    public CompletionStage<Void> increaseSize(String nodeGroup, int delta) {
        if (delta <= 0) {
            return CompletableFuture.failedFuture(new ScaleRefusedException(ID, "increaseSize", nodeGroup,
                    ScaleRefusedException.INVALID_DELTA, "delta must be at least 1, was " + delta));
        }
        return call("increaseSize", nodeGroup, () -> {
            ScalableResource r = resolve(nodeGroup, "increaseSize");
            int target = r.replicas() + delta;
            if (target > r.maxSize()) {
                throw new ScaleRefusedException(ID, "increaseSize", nodeGroup, ScaleRefusedException.ABOVE_MAX_SIZE,
                        r.describe() + " has " + r.replicas() + " replicas; " + delta + " more would be " + target
                                + ", above max size " + r.maxSize());
            }
            scaleTo(r, target);
            return null;
        });
    }

    @Override
    public CompletionStage<Void> deleteNodes(String nodeGroup, List<NodeRef> nodes) {
        if (nodes == null || nodes.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return call("deleteNodes", nodeGroup, () -> {
            ScalableResource r = resolve(nodeGroup, "deleteNodes");
            List<GenericKubernetesResource> machines = machinesOf(r);
            Map<String, GenericKubernetesResource> chosen = new LinkedHashMap<>();
            for (NodeRef node : nodes) {
                GenericKubernetesResource m = machineOf(machines, node).orElseThrow(() -> new ScaleRefusedException(ID,
                        "deleteNodes", nodeGroup, ScaleRefusedException.NODE_NOT_IN_GROUP, "node " + node.name()
                        + " (providerID " + node.providerId() + ") has no Machine in " + r.describe()));
                chosen.putIfAbsent(m.getMetadata().getName(), m);
            }
            // A Machine already being deleted has already left the replica count: lowering it again
            // would take a second, healthy Machine with it.
            List<GenericKubernetesResource> toDelete = chosen.values().stream()
                    .filter(m -> m.getMetadata().getDeletionTimestamp() == null)
                    .toList();
            if (r.replicas() - toDelete.size() < r.minSize()) {
                throw new ScaleRefusedException(ID, "deleteNodes", nodeGroup, ScaleRefusedException.BELOW_MIN_SIZE,
                        r.describe() + " has " + r.replicas() + " replicas; removing " + toDelete.size()
                                + " would go below min size " + r.minSize());
            }
            ScalableResource current = r;
            for (GenericKubernetesResource m : toDelete) {
                markForDeletion(m);
                int target = current.replicas() - 1;
                current = current.withReplicas(target, scaleTo(current, target));
            }
            return null;
        });
    }

    /**
     * The group's Machines, and a placeholder for each replica the MachineSet has not created a
     * Machine for yet.
     */
    @Override
    public CompletionStage<List<Instance>> instances(String nodeGroup) {
        return call("instances", nodeGroup, () -> {
            ScalableResource r = resolve(nodeGroup, "instances");
            List<Instance> out = new ArrayList<>(machineInstances(r, machinesOf(r)).values());
            long live = out.stream().filter(i -> i.state() != InstanceState.DELETING).count();
            for (long i = live; i < r.replicas(); i++) {
                out.add(new Instance("placeholder-" + r.name() + "-" + i, "", InstanceState.CREATING));
            }
            return List.copyOf(out);
        });
    }

    /**
     * Lowers the replicas by {@code delta}, never below the Machines that run nor minSize, after
     * marking as many Machines that will not come (failed ones first, then those still without a
     * provider ID, newest first) with the delete-machine annotation, so the MachineSet deletes
     * those and not a running one.
     */
    @Override
    public CompletionStage<Void> decreaseTargetSize(String nodeGroup, int delta) {
        if (delta <= 0) {
            return CompletableFuture.failedFuture(new ScaleRefusedException(ID, "decreaseTargetSize", nodeGroup,
                    ScaleRefusedException.INVALID_DELTA, "delta must be at least 1, was " + delta));
        }
        return call("decreaseTargetSize", nodeGroup, () -> {
            ScalableResource r = resolve(nodeGroup, "decreaseTargetSize");
            List<GenericKubernetesResource> machines = machinesOf(r);
            Map<String, Instance> states = machineInstances(r, machines);
            int running = (int) states.values().stream().filter(MachineStates::running).count();
            int target = Math.min(r.replicas(), Math.max(r.replicas() - delta, Math.max(running, r.minSize())));
            if (target == r.replicas()) {
                LOG.info("{}: replicas {} stay ({} Machines run, min size {})", r.describe(), target, running,
                        r.minSize());
                return null;
            }
            machines.stream()
                    .filter(m -> m.getMetadata().getDeletionTimestamp() == null)
                    // one marked by an earlier correction is already going: mark another
                    .filter(m -> m.getMetadata().getAnnotations() == null
                            || !m.getMetadata().getAnnotations().containsKey(CapiKinds.DELETE_MACHINE))
                    .filter(m -> !MachineStates.running(states.get(m.getMetadata().getName())))
                    .sorted(Comparator.comparing((GenericKubernetesResource m) ->
                                    MachineStates.givenUpOrder(states.get(m.getMetadata().getName())))
                            .thenComparing(m -> String.valueOf(m.getMetadata().getCreationTimestamp()),
                                    Comparator.reverseOrder()))
                    .limit(r.replicas() - target)
                    .forEach(this::markForDeletion);
            scaleTo(r, target);
            return null;
        });
    }

    /** Each Machine as an instance, by Machine name, in name order. */
    private Map<String, Instance> machineInstances(ScalableResource r, List<GenericKubernetesResource> machines) {
        Duration timeout = config.provisionTimeout(r.namespace() + "/" + r.name());
        Instant now = clock.instant();
        Map<String, Instance> out = new LinkedHashMap<>();
        machines.forEach(m -> out.put(m.getMetadata().getName(), MachineStates.of(m, timeout, now)));
        return out;
    }

    private List<NodeGroup> discover() {
        Map<String, ScalableResource> byGroup = new TreeMap<>();
        collect(byGroup, CapiKinds.MACHINE_DEPLOYMENTS);
        collect(byGroup, CapiKinds.MACHINE_SETS);
        config.groupNames().forEach((key, name) -> {
            if (!byGroup.containsKey(name)) {
                LOG.warn("Node group {}: no MachineDeployment or MachineSet {} with min/max-size annotations", name, key);
            }
        });
        List<NodeGroup> groups = new ArrayList<>();
        for (ScalableResource r : byGroup.values()) {
            try {
                groups.add(toNodeGroup(r));
            } catch (InvalidGroupException e) {
                LOG.warn("Skipping node group {}: {}", r.groupName(), e.getMessage());
            }
        }
        return List.copyOf(groups);
    }

    private void collect(Map<String, ScalableResource> byGroup, ResourceDefinitionContext kind) {
        var ops = client.genericKubernetesResources(kind);
        List<GenericKubernetesResource> items = config.namespace() == null
                ? ops.inAnyNamespace().list().getItems()
                : ops.inNamespace(config.namespace()).list().getItems();
        for (GenericKubernetesResource item : items) {
            Optional<String> name = config.groupNameOf(item.getMetadata().getNamespace(), item.getMetadata().getName());
            if (name.isEmpty()) {
                continue;
            }
            try {
                Optional<ScalableResource> r = ScalableResource.from(item, name.get());
                if (r.isEmpty() || r.get().ownedByDeployment()) {
                    continue; // not annotated, or its MachineDeployment is the group
                }
                ScalableResource other = byGroup.putIfAbsent(name.get(), r.get());
                if (other != null) {
                    LOG.warn("Skipping {}: node group {} is already {}", r.get().describe(), name.get(), other.describe());
                }
            } catch (InvalidGroupException e) {
                LOG.warn("Skipping node group {}: {}", name.get(), e.getMessage());
            }
        }
    }

    private NodeGroup toNodeGroup(ScalableResource r) throws InvalidGroupException {
        GenericKubernetesResource infra = infrastructureOf(r);
        String infraArch = infra == null ? null : text(infra.get("status", "nodeInfo", "architecture"), null);
        Map<String, String> infraCapacity = infra == null ? Map.of() : stringMap(infra.get("status", "capacity"));
        Arch arch = CapacityAnnotations.arch(r, infraArch, config.defaultArch());
        Map<String, String> labels = CapacityAnnotations.labels(r);
        List<Taint> taints = CapacityAnnotations.taints(r);
        Resources allocatable = CapacityAnnotations.allocatable(r, infraCapacity);
        String instanceType = CapacityAnnotations.instanceType(labels).orElse(null);
        NodeTemplate template = NodeTemplate.forGroup(r.groupName(), arch, instanceType, allocatable, labels, taints);
        return new NodeGroup(r.groupName(), ID, arch, r.minSize(), r.maxSize(), r.replicas(),
                NodeGroup.defaultWeight(arch), instanceType, 0.0, template);
    }

    /** The infrastructure template, or null when there is none or it cannot be read (as the Cluster Autoscaler does). */
    private GenericKubernetesResource infrastructureOf(ScalableResource r) {
        ScalableResource.InfraRef ref = r.infraRef();
        if (ref == null) {
            return null;
        }
        int slash = ref.apiVersion().indexOf('/');
        String group = slash < 0 ? "" : ref.apiVersion().substring(0, slash);
        String version = ref.apiVersion().substring(slash + 1);
        try {
            return client.genericKubernetesResources(CapiKinds.context(group, version, ref.kind()))
                    .inNamespace(r.namespace()).withName(ref.name()).get();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403 || e.getCode() == 404) {
                LOG.debug("{}: cannot read {} {}: {}", r.describe(), ref.kind(), ref.name(), e.getMessage());
                return null;
            }
            throw e;
        }
    }

    private ScalableResource resolve(String nodeGroup, String operation) {
        String key = config.resourceKeyOf(nodeGroup)
                .orElseThrow(() -> new NodeGroupNotFoundException(ID, operation, nodeGroup));
        String namespace = key.substring(0, key.indexOf('/'));
        String name = key.substring(key.indexOf('/') + 1);
        GenericKubernetesResource obj = client.genericKubernetesResources(CapiKinds.MACHINE_DEPLOYMENTS)
                .inNamespace(namespace).withName(name).get();
        if (obj == null) {
            obj = client.genericKubernetesResources(CapiKinds.MACHINE_SETS).inNamespace(namespace).withName(name).get();
        }
        if (obj == null) {
            throw new NodeGroupNotFoundException(ID, operation, nodeGroup);
        }
        try {
            return ScalableResource.from(obj, nodeGroup)
                    .filter(r -> !r.ownedByDeployment())
                    .orElseThrow(() -> new NodeGroupNotFoundException(ID, operation, nodeGroup));
        } catch (InvalidGroupException e) {
            throw new ScaleRefusedException(ID, operation, nodeGroup, ScaleRefusedException.INVALID_ANNOTATION,
                    e.getMessage());
        }
    }

    /** Writes spec.replicas through the /scale subresource; returns the new resourceVersion. */
    private String scaleTo(ScalableResource r, int replicas) {
        Scale desired = new ScaleBuilder()
                .withNewMetadata().withName(r.name()).withNamespace(r.namespace())
                .withResourceVersion(r.resourceVersion()).endMetadata()
                .withNewSpec().withReplicas(replicas).endSpec()
                .build();
        Scale answer = client.genericKubernetesResources(CapiKinds.scalable(r.kind()))
                .inNamespace(r.namespace()).withName(r.name()).scale(desired);
        LOG.info("{}: replicas {} -> {}", r.describe(), r.replicas(), replicas);
        return answer == null || answer.getMetadata() == null ? null : answer.getMetadata().getResourceVersion();
    }

    private void markForDeletion(GenericKubernetesResource machine) {
        String patch = client.getKubernetesSerialization().asJson(Map.of("metadata",
                Map.of("annotations", Map.of(CapiKinds.DELETE_MACHINE, clock.instant().toString()))));
        client.genericKubernetesResources(CapiKinds.MACHINES)
                .inNamespace(machine.getMetadata().getNamespace()).withName(machine.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }

    private List<GenericKubernetesResource> machinesOf(ScalableResource r) {
        List<GenericKubernetesResource> items = new ArrayList<>(client.genericKubernetesResources(CapiKinds.MACHINES)
                .inNamespace(r.namespace()).withLabel(r.machineLabel(), r.name()).list().getItems());
        items.sort(Comparator.comparing(m -> m.getMetadata().getName()));
        return items;
    }

    /** The Machine of a node: by status.nodeRef.name, else by providerID (exact, then by its last path segment). */
    private static Optional<GenericKubernetesResource> machineOf(List<GenericKubernetesResource> machines, NodeRef node) {
        for (GenericKubernetesResource m : machines) {
            if (node.name() != null && node.name().equals(m.get("status", "nodeRef", "name"))) {
                return Optional.of(m);
            }
        }
        String wanted = node.providerId();
        if (wanted == null || wanted.isBlank()) {
            return Optional.empty();
        }
        for (GenericKubernetesResource m : machines) {
            if (wanted.equals(m.get("spec", "providerID"))) {
                return Optional.of(m);
            }
        }
        for (GenericKubernetesResource m : machines) {
            String id = text(m.get("spec", "providerID"), null);
            if (id != null && lastSegment(id).equals(lastSegment(wanted)) && !lastSegment(id).isEmpty()) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    private <T> CompletionStage<T> call(String operation, String nodeGroup, Callable<T> body) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    result.complete(body.call());
                } catch (Throwable t) {
                    result.completeExceptionally(ClusterApiErrors.map(t, ID, operation, nodeGroup));
                    if (t instanceof Error e) {
                        throw e;
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new CloudApiException(ID, operation, "Rejected",
                    "the executor refused the call: " + e.getMessage(), true, e));
        }
        return result;
    }

    private static String lastSegment(String providerId) {
        return providerId.substring(providerId.lastIndexOf('/') + 1);
    }

    private static String text(Object o, String otherwise) {
        return o instanceof String s && !s.isEmpty() ? s : otherwise;
    }

    private static Map<String, String> stringMap(Object o) {
        Map<String, String> out = new TreeMap<>();
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (k instanceof String key && v != null) {
                    out.put(key, v.toString());
                }
            });
        }
        return out;
    }
}
