package io.archscaler.e2e;

import io.archscaler.controlplane.ControlPlane;
import io.archscaler.events.Decision;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.ScaleUp;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Archscaler's controller through faults of the control plane it runs against: kube-apiserver
 * killed (SIGKILL) while a scale-up is in flight and started again after longer than the lease's
 * renew deadline, and etcd killed and restarted during another. The controller recovers (its
 * informers relist, it leads again), asks for no node twice (the simulated provider's target is
 * what the plans needed, in one call per plan), and loses no pod (every pending pod ends Running).
 * Each test has a control plane of its own, so the kills disturb no other test.
 */
class ControlPlaneFaultsE2E {
    private static final String NAMESPACE = "faults-e2e";
    private static final String GROUP = "arm-faults";
    private static final String IDENTITY = "archscaler-faults-e2e";
    /** Longer than the renew deadline and than a node's registration: the lease and a node's registration both fail. */
    private static final Duration OUTAGE = Duration.ofSeconds(8);
    private static final String CONFIG = """
            cluster: e2e-faults
            nodeGroups:
              - name: %s
                provider: simulated
                arch: arm64
                maxSize: 10
                capacity: {cpu: "2", memory: 4Gi, pods: 20}
                simulated: {registrationDelay: 4s}
            scaleUp: {batchIdle: 500ms, batchMax: 3s}
            scaleDown: {enabled: false}
            leaderElection: {enabled: true, namespace: %s, leaseDuration: 6s, renewDeadline: 4s, retryPeriod: 1s}
            images: {resolve: false}
            """.formatted(GROUP, NAMESPACE);

    private ControlPlane controlPlane;
    private KubernetesClient client;
    private ObservedArchscaler archscaler;

    @BeforeEach
    void start() throws Exception {
        controlPlane = ControlPlane.start();
        client = controlPlane.newClient();
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).serverSideApply();
        archscaler = new ObservedArchscaler(controlPlane.newClient(), CONFIG, IDENTITY);
        await().atMost(Duration.ofSeconds(30)).until(this::leading);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            archscaler.close();
            client.close();
        } finally {
            controlPlane.close();
        }
    }

    @Test
    void aKillOfTheApiServerDuringAScaleUpLosesNoPodAndAsksForNoNodeTwice() throws Exception {
        scaleUpThrough("kube-apiserver killed for " + OUTAGE.toSeconds() + " s", 8, cp -> {
            cp.killApiServer();
            sleep(OUTAGE);
            cp.startApiServer();
        });
    }

    @Test
    void anEtcdRestartDuringAScaleUpLosesNoPodAndAsksForNoNodeTwice() throws Exception {
        scaleUpThrough("etcd restarted", 6, ControlPlane::restartEtcd);
    }

    /**
     * Creates {@code pods} pods of 900m cpu (two to a node), waits for Archscaler's scale-up to be
     * requested, applies {@code fault} while its nodes are on their way, and judges the outcome.
     */
    private void scaleUpThrough(String what, int pods, Consumer<ControlPlane> fault) throws Exception {
        long started = System.nanoTime();
        for (int i = 0; i < pods; i++) {
            client.pods().inNamespace(NAMESPACE).resource(pod("web-" + i)).create();
        }
        Decision requested = await().atMost(Duration.ofSeconds(30)).until(() -> archscaler.decisions().stream()
                .filter(d -> Decision.SCALE_UP.equals(d.action()) && Decision.REQUESTED.equals(d.outcome()))
                .findFirst().orElse(null), d -> d != null);
        long faultAt = System.nanoTime();
        fault.accept(controlPlane);
        long recovered = System.nanoTime();

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(client.pods().inNamespace(NAMESPACE).list().getItems()).hasSize(pods)
                        .allSatisfy(p -> assertThat(p.getStatus().getPhase()).as(p.getMetadata().getName()).isEqualTo("Running")));
        long running = System.nanoTime();

        int needed = archscaler.plans().stream().flatMap(p -> p.scaleUps().stream()).mapToInt(ScaleUp::delta).sum();
        NodeGroup group = archscaler.simulated().nodeGroups().toCompletableFuture().join().get(0);
        int calls = archscaler.simulated().scaleUpCalls(GROUP);
        List<Decision> scaleUps = archscaler.decisions().stream().filter(d -> Decision.SCALE_UP.equals(d.action())).toList();
        Lease lease = client.leases().inNamespace(NAMESPACE).withName("archscaler").get();
        System.out.printf("ControlPlaneFaultsE2E: %s: %d pods Running %d ms after they were created, %d ms after the"
                        + " control plane was back (fault took %d ms); scale-ups %s; provider target %d in %d call(s);"
                        + " lease held by %s, %d transition(s)%n",
                what, pods, (running - started) / 1_000_000, (running - recovered) / 1_000_000,
                (recovered - faultAt) / 1_000_000, scaleUps.stream().map(Decision::describe).toList(),
                group.targetSize(), calls, lease.getSpec().getHolderIdentity(), lease.getSpec().getLeaseTransitions());

        assertThat(requested.to() - requested.from()).as("the scale-up in flight at the fault").isEqualTo(pods / 2);
        assertThat(group.targetSize()).as("nodes asked of the provider").isEqualTo(pods / 2).isEqualTo(needed);
        assertThat(calls).as("scale-up calls to the provider").isEqualTo(1);
        assertThat(client.nodes().list().getItems()).as("nodes registered").hasSize(pods / 2);
        assertThat(lease.getSpec().getHolderIdentity()).as("the lease's holder").isEqualTo(IDENTITY);
        assertThat(leading()).as("Archscaler leads again").isTrue();
    }

    private boolean leading() throws Exception {
        return archscaler.status().getBoolean("leader");
    }

    private static Pod pod(String name) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("example/web:1").withNewResources()
                .addToRequests("cpu", new Quantity("900m")).endResources().endContainer().endSpec().build();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
