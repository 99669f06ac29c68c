package io.archscaler.reliability;

import io.archscaler.metrics.MetricNames;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kubernetes watches that close or answer {@code 410 Gone} under a running controller: the
 * informers reconnect or relist by themselves, and afterwards the controller's snapshot (as
 * {@code /status} shows it) matches what the API server holds.
 */
class WatchFaultIT {
    private static final Map<String, String> AMD64 = Map.of("kubernetes.io/arch", "amd64");
    /** One such pod fills a node of either group, so pods and nodes can be counted one for one. */
    private static final String CPU = "250m";
    private static final String MEMORY = "5Gi";

    /** Nodes, bound pods and pending pods, as the API server or a controller sees them. */
    record View(long nodes, long bound, long pending) {
        static View of(KubernetesClient client) {
            long bound = 0;
            long pending = 0;
            for (Pod p : client.pods().inAnyNamespace().list().getItems()) {
                if (p.getSpec().getNodeName() != null) {
                    bound++;
                } else {
                    pending++;
                }
            }
            return new View(client.nodes().list().getItems().size(), bound, pending);
        }

        static View of(JsonObject status) {
            return new View(status.getLong("nodes"), status.getLong("scheduledPods"),
                    status.getJsonObject("pendingPods").getLong("total"));
        }

        long distance(View other) {
            return Math.abs(nodes - other.nodes) + Math.abs(bound - other.bound) + Math.abs(pending - other.pending);
        }
    }

    @Test
    void informersReconnectAfterTheApiServerClosesEveryWatchAndKeepTheSnapshotCurrent() throws Exception {
        ApiServer.FaultyApiServer server = ApiServer.faulty();
        try (FaultHarness h = new FaultHarness(server, FaultHarness.Setup.single("300ms", 10)).withScheduler()) {
            FaultHarness.Replica c = h.start("c0");
            settle(h, "web", 3);
            long started = System.nanoTime();
            double ignoredBefore = ignored(c);
            int watchesBefore = server.dispatcher.watchRequests();

            int closed = server.dispatcher.closeWatches();
            await().atMost(Duration.ofSeconds(30)).until(() -> server.dispatcher.watchRequests() >= watchesBefore + closed);
            // what changes after the reconnect reaches the controller through the new watches
            h.createPods("after", 2, CPU, MEMORY, Map.of());
            h.client.pods().inNamespace("default").withName("web-000").delete();
            int changes = 3;

            Outcome o = outcome(h, c, started, 5, Set.of());
            ReliabilityLog.write(new ReliabilityLog.Fault("watch-closed", "Kubernetes watches closed by the API server",
                    "FaultyApiDispatcher closes all " + closed + " open watch WebSockets (1001 going away); "
                            + "pods created and deleted once the informers reconnected",
                    changes, o.decisions, (long) (ignored(c) - ignoredBefore), o.duplicateScaleUps, o.losses,
                    "informers opened " + (server.dispatcher.watchRequests() - watchesBefore)
                            + " new watches; /status " + o.view + ", API server " + o.server, o.took));
            assertThat(closed).as("one watch per informer: pods, nodes, daemonsets, pdbs").isGreaterThanOrEqualTo(4);
            o.assertClean();
        }
    }

    @Test
    void aWatchExpiredWith410GoneIsRelistedAndChangesMadeMeanwhileAreSeen() throws Exception {
        ApiServer.FaultyApiServer server = ApiServer.faulty();
        try (FaultHarness h = new FaultHarness(server, FaultHarness.Setup.single("300ms", 10)).withScheduler()) {
            FaultHarness.Replica c = h.start("c0");
            settle(h, "web", 3);
            long started = System.nanoTime();
            double ignoredBefore = ignored(c);
            int listsBefore = server.dispatcher.listRequests();

            // the stream says 410 Gone; the reconnecting watches are answered 410 too, so every
            // change below is only seen by relisting
            server.dispatcher.answerGone(8);
            int expired = server.dispatcher.expireWatches();
            int changes = changeEverything(h, "x");

            Outcome o = outcome(h, c, started, 5, Set.of("default/web-001"));
            ReliabilityLog.write(new ReliabilityLog.Fault("watch-410-in-stream",
                    "Kubernetes watch expired: 410 Gone in the stream",
                    "FaultyApiDispatcher sends an ERROR event with Status 410 into all " + expired + " open watches "
                            + "and into the next 8 watches opened; meanwhile a pod is deleted, a bound pod is "
                            + "replaced by an amd64-only pod of the same name, a pod and a node are added",
                    changes, o.decisions, (long) (ignored(c) - ignoredBefore), o.duplicateScaleUps, o.losses,
                    "informers relisted (" + (server.dispatcher.listRequests() - listsBefore) + " list calls); "
                            + "/status " + o.view + ", API server " + o.server, o.took));
            assertThat(server.dispatcher.listRequests()).as("informers relisted").isGreaterThan(listsBefore);
            o.assertClean();
        }
    }

    @Test
    void watchesClosedAndReopenedOnlyTo410GoneMakeTheInformersRelistAndTheSnapshotMatchesTheServer() throws Exception {
        ApiServer.FaultyApiServer server = ApiServer.faulty();
        try (FaultHarness h = new FaultHarness(server, FaultHarness.Setup.single("300ms", 10)).withScheduler()) {
            FaultHarness.Replica c = h.start("c0");
            settle(h, "web", 3);
            long started = System.nanoTime();
            double ignoredBefore = ignored(c);
            int listsBefore = server.dispatcher.listRequests();

            // the API server restarts and has compacted its history meanwhile: reconnecting watches are told 410
            server.dispatcher.answerGone(8);
            int closed = server.dispatcher.closeWatches();
            int changes = changeEverything(h, "y");

            Outcome o = outcome(h, c, started, 5, Set.of("default/web-001"));
            ReliabilityLog.write(new ReliabilityLog.Fault("watch-410-on-reconnect",
                    "Kubernetes watches closed, reconnects answered 410 Gone",
                    "FaultyApiDispatcher closes all " + closed + " watches and tells the next 8 watches opened "
                            + "410 Gone (ERROR event); meanwhile the same four changes as above",
                    changes, o.decisions, (long) (ignored(c) - ignoredBefore), o.duplicateScaleUps, o.losses,
                    server.dispatcher.goneSent() + " watches told 410, informers relisted ("
                            + (server.dispatcher.listRequests() - listsBefore) + " list calls); /status " + o.view
                            + ", API server " + o.server, o.took));
            assertThat(server.dispatcher.goneSent()).isGreaterThanOrEqualTo(4);
            o.assertClean();
        }
    }

    /** Creates pods that need a node each and waits until all are bound. */
    private static void settle(FaultHarness h, String workload, int pods) {
        h.createPods(workload, pods, CPU, MEMORY, Map.of());
        await().atMost(Duration.ofSeconds(30)).until(() -> h.boundPods() == pods);
    }

    /**
     * Deletes a bound pod, replaces another with a new pod of the same name that only runs on
     * amd64 (a StatefulSet recreating its pod, say), adds a flexible pod and an unmanaged
     * tainted node. Returns how many changes it made.
     */
    private static int changeEverything(FaultHarness h, String suffix) {
        KubernetesClient api = h.client;
        api.pods().inNamespace("default").withName("web-000").delete();
        api.pods().inNamespace("default").withName("web-001").delete();
        Pod replacement = FaultHarness.pod("web", "web-001", CPU, MEMORY, AMD64);
        replacement.getMetadata().setUid("uid-web-001-" + suffix);
        api.pods().inNamespace("default").resource(replacement).create();
        api.pods().inNamespace("default").resource(FaultHarness.pod("late", "late-" + suffix, CPU, MEMORY, Map.of()))
                .create();
        api.nodes().resource(unmanagedNode("other-" + suffix)).create();
        return 4;
    }

    /** A ready node no configured group owns, tainted so no test pod lands on it. */
    private static Node unmanagedNode(String name) {
        return new NodeBuilder().withNewMetadata().withName(name).addToLabels("kubernetes.io/arch", "amd64")
                .endMetadata()
                .withNewSpec().addNewTaint().withKey("dedicated").withValue("other").withEffect("NoSchedule").endTaint()
                .endSpec()
                .withNewStatus().addToAllocatable("cpu", new Quantity("2")).addToAllocatable("memory", new Quantity("8Gi"))
                .addToAllocatable("pods", new Quantity("29")).addNewCondition().withType("Ready").withStatus("True")
                .endCondition().endStatus().build();
    }

    private static double ignored(FaultHarness.Replica c) {
        return c.counter(MetricNames.EVENTS_IGNORED);
    }

    /** How the run ended: the views once they agree (or at the deadline), and what the decisions say. */
    private record Outcome(View server, View view, long decisions, long duplicateScaleUps, long losses,
                           Duration took) {
        void assertClean() {
            assertThat(view).as("the controller's snapshot matches the API server").isEqualTo(server);
            assertThat(server.pending()).as("every pod was given a node").isZero();
            assertThat(duplicateScaleUps).isZero();
            assertThat(losses).isZero();
        }
    }

    /**
     * Waits until every pod is bound and /status agrees with the server. {@code podsCreated}: pods
     * that needed a node; {@code replaced}: pod names given to a second pod, rightly planned twice.
     */
    private static Outcome outcome(FaultHarness h, FaultHarness.Replica c, long started, int podsCreated,
                                   Set<String> replaced) throws Exception {
        Waiting.until(Duration.ofSeconds(60), () -> {
            View server = View.of(h.client);
            return server.pending() == 0 && View.of(c.status()).equals(server);
        });
        View server = View.of(h.client);
        View controller = View.of(c.status());
        ScaleUpAudit audit = ScaleUpAudit.of(h.scaleUps());
        long overAsked = Math.max(0, audit.nodesAsked() - podsCreated);
        Set<String> twice = new TreeSet<>(audit.plannedTwice());
        twice.removeAll(replaced);
        return new Outcome(server, controller, audit.decisions(), twice.size() + overAsked,
                controller.distance(server) + server.pending(), Waiting.since(started));
    }
}
