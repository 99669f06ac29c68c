package io.archscaler.e2e;

import io.archscaler.config.ConfigLoader;
import io.archscaler.controlplane.ControlPlane;
import io.archscaler.controlplane.ControlPlaneBinaries;
import io.archscaler.controlplane.ControlPlaneSettings;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.archscaler.providers.ProviderFactory;
import io.archscaler.providers.ProviderSet;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The control plane itself does what the other end-to-end tests rely on. */
@ExtendWith(SharedControlPlane.class)
class ControlPlaneE2E {
    private static final String NAMESPACE = "control-plane-e2e";
    private static final String TAINT = "archscaler.io/e2e-control-plane";

    @Test
    void kwokKeepsARegisteredNodeReadyAndTheSchedulerBindsAPodThatKwokThenRuns(ControlPlane controlPlane) {
        try (KubernetesClient client = controlPlane.newClient()) {
            client.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).serverSideApply();
            E2eNodes.create(client, "control-plane-e2e-node", "arm64", TAINT);
            try {
                client.pods().inNamespace(NAMESPACE).resource(new PodBuilder().withNewMetadata().withName("p").endMetadata()
                        .withNewSpec().addNewContainer().withName("c").withImage("example/app:1").endContainer()
                        .addNewToleration().withKey(TAINT).withOperator("Exists").endToleration().endSpec().build()).create();

                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    Pod pod = client.pods().inNamespace(NAMESPACE).withName("p").get();
                    assertThat(pod.getSpec().getNodeName()).isEqualTo("control-plane-e2e-node");
                    assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
                });
            } finally {
                client.namespaces().withName(NAMESPACE).delete();
                E2eNodes.delete(client, "control-plane-e2e-node");
            }
        }
    }

    @Test
    void aNodeTheSimulatedProviderRegistersReadyKeepsHeartbeating(ControlPlane controlPlane) throws Exception {
        ScheduledExecutorService executor = Executors.newScheduledThreadPool(1);
        try (KubernetesClient client = controlPlane.newClient();
             ProviderSet providers = new ProviderFactory(client, executor, 1.0).build(ConfigLoader.standard().parse("""
                     cluster: e2e
                     nodeGroups:
                       - name: control-plane-e2e
                         provider: simulated
                         instanceType: m7g.large
                         maxSize: 1
                         taints: [{key: %s, value: e2e, effect: NoSchedule}]
                         simulated: {registrationDelay: 0s}
                     """.formatted(TAINT), "e2e.yaml"))) {
            Set<String> before = nodeNames(client);
            providers.simulated().orElseThrow().increaseSize("control-plane-e2e", 1).toCompletableFuture().get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> nodeNames(client).size() > before.size());
            String name = nodeNames(client).stream().filter(n -> !before.contains(n)).findFirst().orElseThrow();
            try {
                // kwok adopts it (phase Running) and, as a kubelet since 1.17, heartbeats by renewing its Lease in
                // kube-node-lease every 10 s (its full status only every 5 minutes)
                await().atMost(Duration.ofSeconds(45)).untilAsserted(() -> {
                    assertThat(client.nodes().withName(name).get().getStatus().getPhase()).isEqualTo("Running");
                    assertThat(leaseRenewal(client, name)).isNotNull();
                });
                ZonedDateTime renewed = leaseRenewal(client, name);
                await().atMost(Duration.ofSeconds(30)).until(() -> leaseRenewal(client, name).isAfter(renewed));
                // the node lifecycle controller counts the renewed Lease: the Node stays Ready and untainted
                Node node = client.nodes().withName(name).get();
                assertThat(readyHeartbeat(node)).startsWith("True@");
                assertThat(E2eNodes.schedulable(node)).isTrue();
            } finally {
                E2eNodes.delete(client, name);
            }
        } finally {
            executor.shutdownNow();
        }
    }

    private static Set<String> nodeNames(KubernetesClient client) {
        return client.nodes().list().getItems().stream().map(n -> n.getMetadata().getName()).collect(Collectors.toSet());
    }

    /** When kwok last renewed the Node's Lease; null while it has none. */
    private static ZonedDateTime leaseRenewal(KubernetesClient client, String node) {
        Lease lease = client.leases().inNamespace("kube-node-lease")
                .withName(node).get();
        return lease == null || lease.getSpec().getRenewTime() == null ? null : lease.getSpec().getRenewTime();
    }

    private static String readyHeartbeat(Node node) {
        return node.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst()
                .map(c -> c.getStatus() + "@" + c.getLastHeartbeatTime()).orElse("none");
    }

    @Test
    void kubectlWorksWithTheAdminKubeconfig(ControlPlane controlPlane) throws Exception {
        Process p = new ProcessBuilder(controlPlane.binaries().binary("kubectl").toString(), "--kubeconfig",
                controlPlane.kubeconfig().toString(), "auth", "whoami", "-o", "jsonpath={.status.userInfo.groups}")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("system:masters");
    }

    @Test
    void theAuditLogRecordsEachRequestsUserVerbResourceAndCode(ControlPlane controlPlane) throws Exception {
        try (KubernetesClient client = controlPlane.newClient()) {
            client.configMaps().inNamespace("default").withName("audited-but-absent").get();
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readAllLines(controlPlane.auditLog()).stream()
                .anyMatch(l -> l.contains("\"name\":\"audited-but-absent\"") && l.contains("\"verb\":\"get\"")
                        && l.contains("\"resource\":\"configmaps\"") && l.contains("\"username\":\"archscaler-e2e-admin\"")
                        && l.contains("\"code\":404")));
    }

    /** Its own control plane: the kills must not disturb the shared one, and close() is what is judged last. */
    @Test
    void apiServerAndEtcdComeBackFromAKillWithTheirDataAndCloseStopsEverything() throws Exception {
        ControlPlane own = ControlPlane.start(ControlPlaneBinaries.locate(), ControlPlaneSettings.defaults());
        Path dir = own.kubeconfig().getParent();
        List<ProcessHandle> processes;
        try (KubernetesClient client = own.newClient()) {
            client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("kept")
                    .endMetadata().addToData("k", "v").build()).create();

            own.restartApiServer();
            assertThat(client.configMaps().inNamespace("default").withName("kept").get().getData()).containsEntry("k", "v");
            own.restartEtcd();
            assertThat(client.configMaps().inNamespace("default").withName("kept").get().getData()).containsEntry("k", "v");
            // this control plane's processes: their command lines name its directory
            processes = ProcessHandle.current().children().filter(h -> h.info().commandLine()
                    .map(c -> c.contains(dir.toString())).orElse(false)).toList();
        } finally {
            own.close();
        }

        assertThat(processes).hasSize(5).noneMatch(ProcessHandle::isAlive);
        assertThat(dir).doesNotExist();
    }
}
