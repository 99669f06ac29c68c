package io.archscaler.controller;

import io.archscaler.config.LeaderElectionConfig;
import io.archscaler.testing.SandboxCluster;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Leadership lost and won back, on the CRUD mock API server: another holder takes the Lease, the
 * replica stops leading; the other holder stops renewing, the Lease lapses, and the replica,
 * which kept campaigning, leads again.
 */
class LeaderElectionMockTest {
    private static final String NS = "archscaler";
    private static final String LEASE = "archscaler-leader";

    @Test
    void aReplicaThatLosesTheLeaseStopsLeadingAndLeadsAgainWhenTheOtherHolderLetsItLapse() {
        List<Boolean> leadership = new CopyOnWriteArrayList<>();
        try (SandboxCluster cluster = new SandboxCluster()) {
            KubernetesClient client = cluster.client();
            try (LeaderElection election = new LeaderElection(cluster.newClient(),
                    new LeaderElectionConfig(true, NS, LEASE, Duration.ofSeconds(2), Duration.ofMillis(1500),
                            Duration.ofMillis(200)), "replica-a", leadership::add)) {
                election.start();
                await().atMost(Duration.ofSeconds(10)).until(() -> leadership.equals(List.of(true)));

                // another replica takes the lease (an API-server hiccup let it expire, say) and renews it for 3 s
                Lease taken = client.leases().inNamespace(NS).withName(LEASE).get();
                taken.getSpec().setHolderIdentity("replica-b");
                taken.getSpec().setLeaseDurationSeconds(3);
                taken.getSpec().setAcquireTime(ZonedDateTime.now());
                taken.getSpec().setRenewTime(ZonedDateTime.now());
                client.leases().inNamespace(NS).resource(taken).update();

                await().atMost(Duration.ofSeconds(10)).until(() -> leadership.equals(List.of(true, false)));
                assertThat(client.leases().inNamespace(NS).withName(LEASE).get().getSpec().getHolderIdentity())
                        .isEqualTo("replica-b");

                // replica-b stops renewing: the lease lapses and replica-a, still campaigning, takes it back
                await().atMost(Duration.ofSeconds(15)).until(() -> leadership.equals(List.of(true, false, true)));
                assertThat(client.leases().inNamespace(NS).withName(LEASE).get().getSpec().getHolderIdentity())
                        .isEqualTo("replica-a");
            }
        }
    }
}
