package io.archscaler.fleet;

import io.archscaler.cloud.clusterapi.ScaleSubresourceDispatcher;
import io.archscaler.e2e.MachineDeploymentStandIn;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One cluster of the fleet test: its own CRUD mock API server holding a Cluster API
 * MachineDeployment, played by {@link MachineDeploymentStandIn} (Machines and Nodes follow
 * {@code spec.replicas}), a kubelet's part (a new Node turns Ready after a short delay) and a
 * scheduler's part (a pending pod is bound to a Ready Node with room), so a scale-up ends in bound
 * pods as it would on a real cluster.
 */
final class FleetMockCluster implements AutoCloseable {
    static final int PODS_PER_NODE = 4;
    private static final String NAMESPACE = "fleet";
    private static final String DEPLOYMENT = "md";
    private static final String TAINT = "archscaler.io/fleet-it";
    private static final String SCALE_PATH = "/apis/cluster.x-k8s.io/v1beta1/namespaces/" + NAMESPACE
            + "/machinedeployments/" + DEPLOYMENT + "/scale";

    // the mock server logs every request through java.util.logging at INFO; held so the level sticks
    private static final java.util.logging.Logger MOCK_SERVER_LOG = quiet();

    private final String name;
    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final MachineDeploymentStandIn capi;
    private final Path kubeconfig;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fleet-it-kubelet");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger scaleRequests = new AtomicInteger();

    FleetMockCluster(String name, Path dir) {
        this.name = name;
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new ScaleSubresourceDispatcher(), false);
        try {
            server.init(InetAddress.getByName("127.0.0.1"), 0);
            kubeconfig = dir.resolve(name + ".kubeconfig");
            Files.writeString(kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: %1$s, cluster: {server: "http://127.0.0.1:%2$d"}}]
                    users: [{name: %1$s, user: {token: fleet-it}}]
                    contexts: [{name: %1$s, context: {cluster: %1$s, user: %1$s}}]
                    current-context: %1$s
                    """.formatted(name, server.getPort()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        client = server.createClient();
        client.genericKubernetesResources(MachineDeploymentStandIn.MACHINE_DEPLOYMENTS).inNamespace(NAMESPACE)
                .resource(new GenericKubernetesResourceBuilder()
                        .withApiVersion("cluster.x-k8s.io/v1beta1").withKind("MachineDeployment")
                        .withNewMetadata().withName(DEPLOYMENT).withNamespace(NAMESPACE)
                        .addToAnnotations("cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size", "0")
                        .addToAnnotations("cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size", "10")
                        .addToAnnotations("capacity.cluster-autoscaler.kubernetes.io/cpu", "4")
                        .addToAnnotations("capacity.cluster-autoscaler.kubernetes.io/memory", "16Gi")
                        .addToAnnotations("capacity.cluster-autoscaler.kubernetes.io/maxPods", "110")
                        .addToAnnotations("capacity.cluster-autoscaler.kubernetes.io/labels", "kubernetes.io/arch=amd64")
                        .addToAnnotations("capacity.cluster-autoscaler.kubernetes.io/taints", TAINT + "=e2e:NoSchedule")
                        .endMetadata()
                        .addToAdditionalProperties("spec", Map.of("clusterName", name, "replicas", 0,
                                "selector", Map.of("matchLabels", Map.of(MachineDeploymentStandIn.DEPLOYMENT_LABEL, DEPLOYMENT)),
                                "template", Map.of("metadata", Map.of("labels", Map.of(MachineDeploymentStandIn.DEPLOYMENT_LABEL,
                                        DEPLOYMENT)), "spec", Map.of("clusterName", name))))
                        .build()).create();
        capi = new MachineDeploymentStandIn(client, NAMESPACE, DEPLOYMENT, new MachineDeploymentStandIn.NodeShape("amd64",
                Map.of("cpu", new Quantity("4"), "memory", new Quantity("16Gi"), "pods", new Quantity("110")), TAINT));
        capi.reconcile();
        capi.running(300);
        loop.scheduleWithFixedDelay(this::round, 300, 300, TimeUnit.MILLISECONDS);
    }

    String name() {
        return name;
    }

    /** The cluster's entry in the fleet file. */
    String fleetEntry() {
        return """
                  - name: %s
                    kubeconfig: %s
                    nodeGroups:
                      - name: md
                        provider: clusterapi
                        arch: amd64
                        maxSize: 10
                        capacity: {cpu: "4", memory: 16Gi, pods: 110}
                        taints: [{key: %s, value: e2e, effect: NoSchedule}]
                        clusterapi: {namespace: %s, name: %s}
                """.formatted(name, kubeconfig, TAINT, NAMESPACE, DEPLOYMENT);
    }

    /** Creates a pending pod of one cpu that the scheduler could not place, and returns it. */
    Pod createPendingPod(String podName) {
        Pod pod = new PodBuilder()
                .withNewMetadata().withNamespace("default").withName(podName).withCreationTimestamp(Instant.now().toString())
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName("burst")
                .withUid("u-burst").withController(true).endOwnerReference().endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("example/burst").withNewResources()
                .addToRequests("cpu", new Quantity("1")).addToRequests("memory", new Quantity("2Gi"))
                .endResources().endContainer()
                .addNewToleration().withKey(TAINT).withOperator("Exists").withEffect("NoSchedule").endToleration().endSpec()
                .withNewStatus().withPhase("Pending").addNewCondition().withType("PodScheduled").withStatus("False")
                .withReason("Unschedulable").withMessage("0/0 nodes are available").endCondition().endStatus()
                .build();
        // fabric8's mock server blocks its event loop for up to a minute when a watcher's peer dies
        // abruptly (WatchEventsListener.onFailure awaits its executor there): a killed replica's watches
        // do that, so a write is tried again, as a controller would, until it lands
        long deadline = System.currentTimeMillis() + 90_000;
        while (true) {
            try {
                return client.pods().inNamespace("default").resource(pod).create();
            } catch (KubernetesClientException e) {
                Pod created = client.pods().inNamespace("default").withName(podName).get();
                if (created != null) {
                    return created;
                }
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
            }
        }
    }

    int unboundPods() {
        return pendingPodNames().size();
    }

    List<String> pendingPodNames() {
        return client.pods().inNamespace("default").list().getItems().stream()
                .filter(p -> p.getSpec().getNodeName() == null).map(p -> p.getMetadata().getName()).toList();
    }

    int replicas() {
        return ((Number) client.genericKubernetesResources(MachineDeploymentStandIn.MACHINE_DEPLOYMENTS).inNamespace(NAMESPACE)
                .withName(DEPLOYMENT).get().get("spec", "replicas")).intValue();
    }

    /** Writes to the MachineDeployment's {@code /scale} subresource the API server has received so far. */
    int scaleRequests() {
        drainRequests();
        return scaleRequests.get();
    }

    private synchronized void drainRequests() {
        try {
            for (RecordedRequest r; (r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null; ) {
                if (r.getPath() != null && r.getPath().startsWith(SCALE_PATH) && !"GET".equals(r.getMethod())) {
                    scaleRequests.incrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A kubelet's and a scheduler's round: new Nodes turn Ready, pending pods go to Ready Nodes with room. */
    private void round() {
        try {
            drainRequests();
            List<Node> nodes = client.nodes().list().getItems();
            for (Node n : nodes) {
                if (!ready(n)) {
                    NodeCondition readyCondition = new NodeConditionBuilder().withType("Ready").withStatus("True")
                            .withReason("KubeletReady").withLastTransitionTime(Instant.now().toString()).build();
                    client.nodes().withName(n.getMetadata().getName()).edit(e -> {
                        e.getStatus().getConditions().add(readyCondition);
                        return e;
                    });
                    // a node becomes Ready one round after it registered, as a kubelet takes a moment
                    return;
                }
            }
            Map<String, Integer> used = new HashMap<>();
            List<Pod> pods = client.pods().inNamespace("default").list().getItems();
            pods.stream().filter(p -> p.getSpec().getNodeName() != null)
                    .forEach(p -> used.merge(p.getSpec().getNodeName(), 1, Integer::sum));
            for (Pod p : pods) {
                if (p.getSpec().getNodeName() != null) {
                    continue;
                }
                Node room = nodes.stream().filter(n -> used.getOrDefault(n.getMetadata().getName(), 0) < PODS_PER_NODE)
                        .findFirst().orElse(null);
                if (room == null) {
                    return;
                }
                String node = room.getMetadata().getName();
                used.merge(node, 1, Integer::sum);
                client.pods().inNamespace("default").withName(p.getMetadata().getName()).edit(e -> {
                    e.getSpec().setNodeName(node);
                    e.getStatus().setPhase("Running");
                    e.getStatus().getConditions().forEach(c -> {
                        if ("PodScheduled".equals(c.getType())) {
                            c.setStatus("True");
                            c.setReason(null);
                            c.setMessage(null);
                        }
                    });
                    return e;
                });
            }
        } catch (KubernetesClientException e) {
            // the next round tries again
        }
    }

    private static java.util.logging.Logger quiet() {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    private static boolean ready(Node n) {
        return n.getStatus() != null && n.getStatus().getConditions() != null && n.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    @Override
    public void close() {
        loop.shutdownNow();
        capi.close();
        client.close();
        try {
            server.destroy();
        } catch (IllegalStateException e) {
            // a watch closing at the same moment; the assertions have run
        }
    }
}
