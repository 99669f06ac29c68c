package io.archscaler.sandbox;

import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.ProviderSettings;
import io.archscaler.controller.KubeModel;
import io.archscaler.controller.NodeDrainer;
import io.archscaler.kube.KubePods;
import io.archscaler.scaler.cost.OptimalCost;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.restore.KeptReason;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The demo's moves back to arm64: waits until they are done, and measures what the pods saw
 * meanwhile: how long the pods the moves evicted waited for a node again, and whether a
 * PodDisruptionBudget ever had fewer healthy pods than it requires.
 */
final class DemoMoves {
    /** Why the last restore scan kept an amd64 node that a later scan may still move. */
    private static final Set<String> NOT_YET = Set.of(KeptReason.BUDGET_REACHED.label(),
            KeptReason.NOT_ENOUGH_PDB.label());

    private final KubernetesClient client;
    private final DemoDecisions decisions;
    private final Clock clock;
    private final Set<String> boundBefore = ConcurrentHashMap.newKeySet();
    private final Set<String> watched = ConcurrentHashMap.newKeySet();
    private final Set<String> violated = ConcurrentHashMap.newKeySet();
    private volatile boolean watching;

    DemoMoves(KubernetesClient client, DemoDecisions decisions, Clock clock) {
        this.client = client;
        this.decisions = decisions;
        this.clock = clock;
    }

    /** From now on, pods bound and budgets' health count as seen during the moves. */
    void begin(Set<String> alreadyBound) {
        boundBefore.addAll(alreadyBound);
        watching = true;
    }

    /** Each sandbox pass, before the evicted pods are replaced: the budgets as counted. */
    void observe(List<DemoCluster.BudgetHealth> health) {
        if (watching) {
            health.forEach(h -> watched.add(h.budget()));
            health.stream().filter(DemoCluster.BudgetHealth::violated).forEach(h -> violated.add(h.budget()));
        }
    }

    /**
     * Until a node has moved, none is moving or cordoned, every pod runs, and the last restore
     * scan kept no node a later scan may move: twice, {@code poll} apart. False on timeout.
     *
     * @param restoreStatus {@code /status}'s {@code restores} object
     */
    boolean awaitDone(Supplier<JsonObject> restoreStatus, BooleanSupplier allScheduled, Duration poll,
                      Duration timeout) throws InterruptedException {
        Instant deadline = clock.instant().plus(timeout);
        int quiet = 0;
        while (clock.instant().isBefore(deadline) && quiet < 2) {
            Thread.sleep(poll.toMillis());
            JsonObject status = restoreStatus.get();
            boolean done = !decisions.restores().isEmpty() && status.getJsonArray("inProgress").isEmpty()
                    && status.getJsonObject("keptByReason").fieldNames().stream().noneMatch(NOT_YET::contains)
                    && client.nodes().list().getItems().stream().noneMatch(DemoMoves::cordonedOrMoving)
                    && allScheduled.getAsBoolean();
            quiet = done ? quiet + 1 : 0;
        }
        return quiet >= 2;
    }

    private static boolean cordonedOrMoving(Node n) {
        Map<String, String> annotations = n.getMetadata().getAnnotations();
        return Boolean.TRUE.equals(n.getSpec().getUnschedulable())
                || annotations != null && annotations.containsKey(NodeDrainer.MOVING_ANNOTATION);
    }

    /**
     * What the pods saw since {@link #begin}: the waits of the pods bound since (from the
     * scheduler's {@code pendingToScheduled}) and of those still unbound, against the simulated
     * groups' registration delay at the demo's speed.
     */
    DemoSummary.DuringMoves end(Map<String, Duration> pendingToScheduled, Duration registrationDelay) {
        watching = false;
        List<Duration> waits = new ArrayList<>();
        pendingToScheduled.forEach((pod, d) -> {
            if (!boundBefore.contains(pod)) {
                waits.add(d);
            }
        });
        Instant now = clock.instant();
        for (Pod p : client.pods().inAnyNamespace().list().getItems()) {
            if (KubePods.isPending(p) && p.getMetadata().getCreationTimestamp() != null) {
                waits.add(Duration.between(Instant.parse(p.getMetadata().getCreationTimestamp()), now));
            }
        }
        Duration longest = waits.stream().max(Duration::compareTo).orElse(Duration.ZERO);
        int over = (int) waits.stream().filter(d -> d.compareTo(registrationDelay) > 0).count();
        return new DemoSummary.DuringMoves(new DemoSummary.Waits(waits.size(), seconds(longest), over,
                seconds(registrationDelay)), watched.size(), violated.size());
    }

    /** The longest registration delay of the simulated groups, divided by the demo's speed. */
    static Duration registrationDelay(ArchscalerConfig config, double speed) {
        long longest = config.nodeGroups().stream()
                .filter(g -> g.settings() instanceof ProviderSettings.Simulated)
                .mapToLong(g -> ((ProviderSettings.Simulated) g.settings()).registrationDelay().toMillis())
                .max().orElse(0);
        return Duration.ofMillis((long) (longest / speed));
    }

    /**
     * The cheapest placement of the pods running now on new nodes of the groups (as the
     * controller plans with them), DaemonSet pods reserved on each node rather than placed.
     */
    static OptimalCost.Result optimalCost(KubernetesClient client, List<NodeGroup> groups, KubeModel kube) {
        List<PendingPod> pods = new ArrayList<>();
        for (Pod p : client.pods().inAnyNamespace().list().getItems()) {
            if (p.getMetadata().getDeletionTimestamp() == null && KubePods.isBoundAndActive(p)
                    && !KubePods.ownedByDaemonSet(p)) {
                pods.add(kube.pendingPod(p));
            }
        }
        List<PendingPod> daemonSets = new ArrayList<>();
        for (DaemonSet ds : client.apps().daemonSets().inAnyNamespace().list().getItems()) {
            kube.daemonSetPod(ds).ifPresent(daemonSets::add);
        }
        return OptimalCost.of(groups, pods, daemonSets);
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
