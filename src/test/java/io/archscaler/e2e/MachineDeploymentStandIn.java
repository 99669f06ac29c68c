package io.archscaler.e2e;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The part of Cluster API the end-to-end tests need and no controller here plays: there is no
 * Cluster API controller in this control plane, so this stand-in does, minimally, what its
 * MachineSet controller and an infrastructure provider do for one MachineDeployment. It makes the
 * Machine count follow {@code spec.replicas} (a new Machine gets a providerID and a Node that kwok
 * keeps Ready; a Machine too many is deleted with its Node, those annotated
 * {@code cluster.x-k8s.io/delete-machine} first, then the newest, as the MachineSet controller's
 * deletion order does), and reports {@code status.replicas} and {@code status.selector}, which the
 * {@code /scale} subresource reads.
 */
public final class MachineDeploymentStandIn implements AutoCloseable {
    public static final ResourceDefinitionContext MACHINE_DEPLOYMENTS = context("MachineDeployment");
    static final ResourceDefinitionContext MACHINES = context("Machine");
    public static final String DEPLOYMENT_LABEL = "cluster.x-k8s.io/deployment-name";
    static final String DELETE_MACHINE = "cluster.x-k8s.io/delete-machine";
    static final String CLUSTER = "e2e";

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final NodeShape shape;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "capi-stand-in");
        t.setDaemon(true);
        return t;
    });
    private int sequence;

    /** What the infrastructure makes: a Node of {@code arch} with {@code allocatable}, tainted {@code taintKey=e2e:NoSchedule}. */
    public record NodeShape(String arch, Map<String, Quantity> allocatable, String taintKey) {
        public NodeShape {
            allocatable = Map.copyOf(allocatable);
        }
    }

    /** Plays Cluster API for the MachineDeployment {@code namespace/name}, whose Machines become Nodes of {@code shape}. */
    public MachineDeploymentStandIn(KubernetesClient client, String namespace, String name, NodeShape shape) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.shape = shape;
    }

    /** Reconciles every {@code periodMillis} on its own thread until closed, as a controller's watch would. */
    public MachineDeploymentStandIn running(long periodMillis) {
        loop.scheduleWithFixedDelay(() -> {
            try {
                reconcile();
            } catch (KubernetesClientException e) {
                // a conflict with the autoscaler's write, or the API server away: the next round tries again
            }
        }, 0, periodMillis, TimeUnit.MILLISECONDS);
        return this;
    }

    /** One round: Machines (and their Nodes) made or removed to match spec.replicas, then the status written. */
    public synchronized void reconcile() {
        GenericKubernetesResource md = client.genericKubernetesResources(MACHINE_DEPLOYMENTS).inNamespace(namespace)
                .withName(name).get();
        if (md == null) {
            return;
        }
        int replicas = ((Number) md.get("spec", "replicas")).intValue();
        List<GenericKubernetesResource> machines = machines();
        for (int i = machines.size(); i < replicas; i++) {
            create(name + "-" + (++sequence));
        }
        if (machines.size() > replicas) {
            List<GenericKubernetesResource> order = new ArrayList<>(machines);
            order.sort(Comparator.comparing((GenericKubernetesResource m) -> !annotated(m))
                    .thenComparing(m -> m.getMetadata().getName(), Comparator.reverseOrder()));
            for (GenericKubernetesResource m : order.subList(0, machines.size() - replicas)) {
                client.genericKubernetesResources(MACHINES).inNamespace(namespace).withName(m.getMetadata().getName()).delete();
                client.nodes().withName(m.getMetadata().getName()).delete();
            }
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("replicas", replicas);
        status.put("selector", DEPLOYMENT_LABEL + "=" + name);
        md.getAdditionalProperties().put("status", status);
        client.genericKubernetesResources(MACHINE_DEPLOYMENTS).inNamespace(namespace).resource(md).updateStatus();
    }

    /** The MachineDeployment's Machines, by name. */
    List<GenericKubernetesResource> machines() {
        List<GenericKubernetesResource> items = new ArrayList<>(client.genericKubernetesResources(MACHINES)
                .inNamespace(namespace).withLabel(DEPLOYMENT_LABEL, name).list().getItems());
        items.sort(Comparator.comparing(m -> m.getMetadata().getName()));
        return items;
    }

    static String providerId(String namespace, String machine) {
        return "e2e-capi:///" + namespace + "/" + machine;
    }

    private void create(String machine) {
        String providerId = providerId(namespace, machine);
        client.nodes().resource(new NodeBuilder()
                .withNewMetadata().withName(machine).addToLabels("kubernetes.io/arch", shape.arch())
                .addToLabels("kubernetes.io/os", "linux").addToLabels("kubernetes.io/hostname", machine)
                .addToLabels(DEPLOYMENT_LABEL, name).endMetadata()
                .withNewSpec().withProviderID(providerId).addNewTaint().withKey(shape.taintKey()).withValue("e2e")
                .withEffect("NoSchedule").endTaint().endSpec()
                .withNewStatus().withCapacity(shape.allocatable()).withAllocatable(shape.allocatable())
                .withNewNodeInfo().withArchitecture(shape.arch()).withOperatingSystem("linux").endNodeInfo().endStatus()
                .build()).create();
        GenericKubernetesResource created = client.genericKubernetesResources(MACHINES).inNamespace(namespace)
                .resource(new GenericKubernetesResourceBuilder().withApiVersion("cluster.x-k8s.io/v1beta1").withKind("Machine")
                        .withNewMetadata().withName(machine).withNamespace(namespace)
                        .addToLabels(DEPLOYMENT_LABEL, name).addToLabels("cluster.x-k8s.io/cluster-name", CLUSTER)
                        .endMetadata()
                        .addToAdditionalProperties("spec", Map.of("clusterName", CLUSTER, "providerID", providerId))
                        .build()).create();
        created.getAdditionalProperties().put("status", Map.of("phase", "Running",
                "nodeRef", Map.of("apiVersion", "v1", "kind", "Node", "name", machine)));
        client.genericKubernetesResources(MACHINES).inNamespace(namespace).resource(created).updateStatus();
    }

    private static boolean annotated(GenericKubernetesResource m) {
        Map<String, String> a = m.getMetadata().getAnnotations();
        return a != null && a.containsKey(DELETE_MACHINE);
    }

    private static ResourceDefinitionContext context(String kind) {
        return new ResourceDefinitionContext.Builder().withGroup("cluster.x-k8s.io").withVersion("v1beta1")
                .withKind(kind).withPlural(kind.toLowerCase(java.util.Locale.ROOT) + "s").withNamespaced(true).build();
    }

    @Override
    public void close() {
        loop.shutdownNow();
        try {
            loop.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
