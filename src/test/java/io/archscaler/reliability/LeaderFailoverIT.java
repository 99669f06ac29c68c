package io.archscaler.reliability;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas with leader election; the leader asks for nodes that take long to register and
 * then goes away. The new leader must count those nodes as in flight (the providers' target size
 * against the registered nodes) and must not ask for them again. The cloud takes a second to list
 * its groups, as a real one may, so a new leader that planned before it had read the sizes would
 * scale twice.
 */
class LeaderFailoverIT {
    private static final String CPU = "250m";
    private static final String MEMORY = "5Gi";
    private static final int PODS = 3;

    @Test
    void aNewLeaderAfterAGracefulStopCountsTheOldLeadersNodesAsInFlightAndDoesNotAskAgain() throws Exception {
        failover("leader-failover-stop", "the leader stops (SIGTERM): it releases its lease", false);
    }

    @Test
    void aNewLeaderAfterACrashCountsTheOldLeadersNodesAsInFlightAndDoesNotAskAgain() throws Exception {
        failover("leader-failover-crash", "the leader is killed: its lease lapses after 4 s", true);
    }

    private void failover(String id, String how, boolean crash) throws Exception {
        FaultHarness.Setup setup = FaultHarness.Setup.single("12s", 10).withLeaderElection();
        try (FaultHarness h = new FaultHarness(ApiServer.sandbox(), setup).withScheduler()) {
            h.wrapProviders(p -> new SlowListingProvider(p, h.executor, Duration.ofSeconds(1)), Set::of);
            FaultHarness.Replica a = h.start("replica-a");
            FaultHarness.Replica b = h.start("replica-b");
            await().atMost(Duration.ofSeconds(30)).until(() -> holder(h) != null);
            FaultHarness.Replica leader = holder(h).equals(a.identity) ? a : b;
            FaultHarness.Replica follower = leader == a ? b : a;
            await().atMost(Duration.ofSeconds(10)).until(() -> leader.status().getBoolean("leader"));

            long started = System.nanoTime();
            h.createPods("web", PODS, CPU, MEMORY, Map.of());
            await().atMost(Duration.ofSeconds(20)).until(() -> h.scaleUps("arm").size() == 1);
            if (crash) {
                leader.crash();
            } else {
                leader.stop();
            }

            // the follower takes over while the nodes are still on their way (12 s to register)
            boolean tookOver = Waiting.until(Duration.ofSeconds(20), () -> follower.identity.equals(holder(h))
                    && follower.status().getBoolean("leader"));
            boolean sawInFlight = Waiting.until(Duration.ofSeconds(10), () -> inFlight(follower.status(), "arm") == PODS);
            // a second scale-up would come from the new leader's plan of the still pending pods: wait for that plan
            boolean planned = follower.plannedAfter(0, Duration.ofSeconds(20));
            boolean allBound = Waiting.until(Duration.ofSeconds(40), () -> h.boundPods() == PODS);
            // once the new leader sees every pod bound it has nothing left to plan, so no later scale-up can come
            boolean settled = Waiting.until(Duration.ofSeconds(20), () -> follower.pendingPods() == 0);

            ScaleUpAudit audit = ScaleUpAudit.of(h.scaleUps());
            int calls = h.cloud.scaleUpCalls("arm") + h.cloud.scaleUpCalls("x86");
            int target = h.targetSize("arm") + h.targetSize("x86");
            List<String> pods = FaultHarness.pods("web", PODS, CPU, MEMORY, Map.of()).stream()
                    .map(p -> "default/" + p.getMetadata().getName()).toList();
            long duplicates = audit.plannedTwice().size() + Math.max(0, calls - 1) + Math.max(0, target - PODS);
            long losses = audit.neverPlanned(pods).size() + (PODS - h.boundPods());
            ReliabilityLog.write(new ReliabilityLog.Fault(id, "Leader failover while a scale-up is in flight",
                    "two replicas on one Lease; the leader asks for " + PODS + " nodes that register after 12 s, then "
                            + how + "; the cloud lists its groups after 1 s",
                    PODS, audit.decisions(), 0, duplicates, losses,
                    "new leader " + (tookOver ? "took over" : "did NOT take over") + (sawInFlight
                            ? " and showed " + PODS + " nodes in flight" : " without the nodes in flight")
                            + "; cloud calls " + calls + ", target size " + target + ", pods bound " + h.boundPods()
                            + " of " + PODS, Waiting.since(started)));

            assertThat(tookOver).as("the follower became leader").isTrue();
            assertThat(sawInFlight).as("the new leader counts the old leader's nodes as in flight").isTrue();
            assertThat(planned).as("the new leader planned the pending pods").isTrue();
            assertThat(settled).as("the new leader saw every pod bound").isTrue();
            assertThat(allBound).as("the pods got the nodes the old leader asked for").isTrue();
            assertThat(h.scaleUps()).as("one scale-up, by the old leader").hasSize(1);
            assertThat(calls).as("increaseSize calls").isEqualTo(1);
            assertThat(target).isEqualTo(PODS);
            assertThat(new TreeSet<>(h.scaleUps().get(0).pods())).containsExactlyElementsOf(pods);
        }
    }

    private static String holder(FaultHarness h) {
        var lease = h.client.leases().inNamespace("archscaler").withName("test").get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    private static int inFlight(JsonObject status, String group) {
        for (Object o : status.getJsonArray("nodeGroups")) {
            JsonObject g = (JsonObject) o;
            if (group.equals(g.getString("name"))) {
                return g.getInteger("inFlight");
            }
        }
        return -1;
    }
}
