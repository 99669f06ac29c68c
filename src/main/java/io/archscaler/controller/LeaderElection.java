package io.archscaler.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Wraps fabric8's LeaderElector on a {@code coordination.k8s.io} Lease: only the holder of the
 * lease acts, a second replica waits and takes over when the lease lapses.
 */
public final class LeaderElection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);

    private final LeaderElector elector;
    private CompletableFuture<?> running;

    public LeaderElection(KubernetesClient client, String namespace, String leaseName, String identity,
                          Duration leaseDuration, Duration renewDeadline, Duration retryPeriod,
                          Consumer<Boolean> onLeadership) {
        this.elector = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName(leaseName)
                .withLock(new LeaseLock(namespace, leaseName, identity))
                .withLeaseDuration(leaseDuration)
                .withRenewDeadline(renewDeadline)
                .withRetryPeriod(retryPeriod)
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(
                        () -> {
                            LOG.info("{} became leader of lease {}/{}", identity, namespace, leaseName);
                            onLeadership.accept(true);
                        },
                        () -> {
                            LOG.info("{} stopped leading", identity);
                            onLeadership.accept(false);
                        },
                        leader -> {
                            if (leader != null) {
                                LOG.info("lease {}/{} is held by {}", namespace, leaseName, leader);
                            }
                        }))
                .build()).build();
    }

    public void start() {
        running = elector.start();
    }

    @Override
    public void close() {
        if (running != null) {
            running.cancel(true);
        }
    }
}
