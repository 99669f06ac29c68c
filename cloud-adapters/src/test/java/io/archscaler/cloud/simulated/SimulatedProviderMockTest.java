package io.archscaler.cloud.simulated;

import io.archscaler.cloud.FailedLaunches;
import io.archscaler.cloud.Instance;
import io.archscaler.cloud.InstanceError;
import io.archscaler.cloud.InstanceState;
import io.archscaler.cloud.InsufficientCapacityException;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.NodeTemplate;
import io.archscaler.scaler.model.Resources;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The simulated cloud against fabric8's CRUD mock API: nodes register after the delay; a capacity
 * shortage refuses the scale-up at once, or, like EKS and ASG, accepts it and reports the failure
 * later on the placeholders, which never register and go first when the target is lowered.
 */
class SimulatedProviderMockTest {
    private static final Duration REGISTRATION = Duration.ofMillis(300);

    private KubernetesMockServer server;
    private KubernetesClient client;
    private ScheduledExecutorService executor;
    private SimulatedProvider cloud;

    @BeforeEach
    void start() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(Collections.emptyList()), false);
        server.init();
        client = server.createClient();
        executor = Executors.newScheduledThreadPool(1);
        NodeGroup arm = new NodeGroup("arm", SimulatedProvider.ID, Arch.ARM64, 0, 5, 0, 100, "m7g.large", 0.0816,
                NodeTemplate.forGroup("arm", Arch.ARM64, "m7g.large", Resources.of(1930, 7_000_000_000L), Map.of(),
                        List.of()));
        cloud = new SimulatedProvider(client, executor, Map.of(arm, REGISTRATION));
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
        client.close();
        server.destroy();
    }

    @Test
    void aScaleUpRegistersItsNodesAfterTheDelay() throws Exception {
        cloud.increaseSize("arm", 2).toCompletableFuture().get();

        assertThat(instances()).extracting(Instance::state).containsOnly(InstanceState.CREATING);
        await().atMost(Duration.ofSeconds(5)).until(() -> client.nodes().list().getItems().size() == 2);
        assertThat(instances()).extracting(Instance::state).containsOnly(InstanceState.RUNNING);
        assertThat(target()).isEqualTo(2);
    }

    @Test
    void aShortageRefusesTheScaleUpAtOnce() {
        cloud.setCapacityShortage("arm", true);

        assertThatThrownBy(() -> cloud.increaseSize("arm", 1).toCompletableFuture().get())
                .hasCauseInstanceOf(InsufficientCapacityException.class);
        assertThat(target()).isZero();
        assertThat(cloud.scaleUpCalls("arm")).isEqualTo(1);
    }

    @Test
    void aLateShortageAcceptsTheScaleUpAndReportsTheFailureOnThePlaceholdersLater() throws Exception {
        cloud.setLateCapacityShortage("arm", Duration.ofMillis(500));

        cloud.increaseSize("arm", 2).toCompletableFuture().get();

        // accepted: the target rose, the placeholders are on their way and nothing is wrong yet
        assertThat(target()).isEqualTo(2);
        assertThat(FailedLaunches.in(instances())).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> FailedLaunches.in(instances()).isPresent());
        FailedLaunches failed = FailedLaunches.in(instances()).orElseThrow();
        assertThat(failed.count()).isEqualTo(2);
        assertThat(failed.error().kind()).isEqualTo(InstanceError.Kind.CAPACITY);
        assertThat(failed.error().code()).isEqualTo("InsufficientInstanceCapacity");
        assertThat(failed.error().toException(SimulatedProvider.ID, "arm")).isInstanceOf(InsufficientCapacityException.class);
        assertThat(instances()).allSatisfy(i -> assertThat(i.providerId()).isEmpty());
        // past the registration delay too, no node registers
        Thread.sleep(REGISTRATION.multipliedBy(2).toMillis());
        assertThat(client.nodes().list().getItems()).isEmpty();

        // the shortage ends; a new scale-up comes while the failed placeholders are still counted
        cloud.setCapacityShortage("arm", false);
        cloud.increaseSize("arm", 1).toCompletableFuture().get();
        assertThat(target()).isEqualTo(3);
        // lowering the target for the two that will not come takes the failed ones, not the new one
        cloud.decreaseTargetSize("arm", 2).toCompletableFuture().get();
        assertThat(target()).isEqualTo(1);
        assertThat(FailedLaunches.in(instances())).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> client.nodes().list().getItems().size() == 1);
        assertThat(client.nodes().list().getItems().get(0).getMetadata().getName()).isEqualTo("arm-3");
    }

    private List<Instance> instances() throws Exception {
        return cloud.instances("arm").toCompletableFuture().get();
    }

    private int target() {
        return cloud.nodeGroups().toCompletableFuture().join().get(0).targetSize();
    }
}
