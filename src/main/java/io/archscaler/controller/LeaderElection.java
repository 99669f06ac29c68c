package io.archscaler.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Wraps fabric8's LeaderElector on a {@code coordination.k8s.io} Lease: only the holder of the
 * lease acts, a second replica waits and takes over when the lease lapses.
 *
 * <p>A replica that loses the lease (its renewals failed for longer than {@code renewDeadline},
 * or another holder took it) stops acting at once, through the callback, and campaigns again
 * after {@code retryPeriod}, for as long as it runs. It does not exit for a restart, as Strimzi's
 * operator does: its informers stay synced, so it can take over again at once if the other
 * replica dies, and the scaling loop already reads the node groups' sizes again before it acts on
 * a lease it won back. A fabric8 elector runs once, so each campaign builds a new one.
 */
public final class LeaderElection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);

    private final KubernetesClient client;
    private final LeaderElectionConfig config;
    private final Duration retryPeriod;
    private final String identity;
    private CompletableFuture<?> running;
    private boolean closed;

    /**
     * @param lease        the Lease and its timings, from the {@code leaderElection} config block
     * @param identity     this replica's name as the Lease's holder
     * @param onLeadership told true on winning the lease and false on losing it
     */
    public LeaderElection(KubernetesClient client, io.archscaler.config.LeaderElectionConfig lease, String identity,
                          Consumer<Boolean> onLeadership) {
        this.client = client;
        this.retryPeriod = lease.retryPeriod();
        this.identity = identity;
        String namespace = lease.namespace();
        String leaseName = lease.leaseName();
        this.config = new LeaderElectionConfigBuilder()
                .withName(leaseName)
                .withLock(new LeaseLock(namespace, leaseName, identity))
                .withLeaseDuration(lease.leaseDuration())
                .withRenewDeadline(lease.renewDeadline())
                .withRetryPeriod(lease.retryPeriod())
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
                .build();
    }

    public synchronized void start() {
        if (closed) {
            return;
        }
        CompletableFuture<?> campaign = client.leaderElector().withConfig(config).build().start();
        running = campaign;
        campaign.whenComplete((v, error) -> {
            if (campaign.isCancelled()) {
                return;
            }
            if (error != null) {
                LOG.warn("{}: leader election stopped ({}); campaigning again in {}", identity, error.getMessage(),
                        retryPeriod);
            } else {
                LOG.info("{}: lost the lease; campaigning again in {}", identity, retryPeriod);
            }
            CompletableFuture.runAsync(this::start,
                    CompletableFuture.delayedExecutor(retryPeriod.toMillis(), TimeUnit.MILLISECONDS));
        });
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (running != null) {
            running.cancel(true);
        }
    }
}
