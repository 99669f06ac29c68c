package io.archscaler.reliability;

import io.archscaler.cloud.resilience.ResiliencePolicy;
import io.archscaler.cloud.resilience.ResilientNodeGroupProvider;
import io.archscaler.events.Decision;
import io.fabric8.kubernetes.api.model.Pod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.archscaler.reliability.StormyCloud.Fault.NO_ANSWER;
import static io.archscaler.reliability.StormyCloud.Fault.SERVER_ERROR;
import static io.archscaler.reliability.StormyCloud.Fault.THROTTLED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cloud API in a storm under the real controller, with the resilience decorator between
 * them: bursts of throttling, 5xx and lost requests are retried within the rate limit and the
 * scale-ups succeed, once each; persistent capacity errors open the group's circuit, pods fall
 * back to amd64, and the half-open probe brings the arm64 group back once capacity returns.
 */
class CloudApiStormIT {
    private static final Map<String, String> AMD64 = Map.of("kubernetes.io/arch", "amd64");
    private static final Map<String, String> ARM64 = Map.of("kubernetes.io/arch", "arm64");
    private static final String CPU = "250m";
    private static final String MEMORY = "5Gi";

    @Test
    void burstsOfThrottlingServerErrorsAndLostRequestsAreRetriedWithinTheRateLimitAndSucceedOnce() throws Exception {
        int callsPerSecond = 4;
        ResiliencePolicy policy = new ResiliencePolicy(
                new ResiliencePolicy.Backoff(8, Duration.ofMillis(100), 2.0, 0.2, Duration.ofSeconds(1)),
                new ResiliencePolicy.Circuit(3, Duration.ofSeconds(30), 1), callsPerSecond, 8, Duration.ofMillis(400));
        try (FaultHarness h = new FaultHarness(ApiServer.sandbox(), FaultHarness.Setup.single("300ms", 20))
                .withScheduler()) {
            StormyCloud stormy = new StormyCloud(h.cloud);
            ResilientNodeGroupProvider resilient = new ResilientNodeGroupProvider(stormy, policy, h.executor);
            h.wrapProviders(cloud -> resilient, resilient::openCircuits);
            // the storm is on before the controller starts: its first listing goes through it too
            stormy.queue("nodeGroups", THROTTLED, SERVER_ERROR, NO_ANSWER);
            long started = System.nanoTime();
            FaultHarness.Replica c = h.start("c0");

            int waves = 3;
            int faults = 3;
            List<String> pods = new ArrayList<>();
            for (int w = 0; w < waves; w++) {
                StormyCloud.Fault[] burst = {THROTTLED, SERVER_ERROR, THROTTLED, NO_ANSWER, SERVER_ERROR, THROTTLED};
                stormy.queue("increaseSize", burst);
                stormy.queue("nodeGroups", THROTTLED, SERVER_ERROR);
                faults += burst.length + 2;
                // pinned to one arch each, so a pod cannot take the node another was given while both groups scale
                pods.addAll(create(h, "arm" + w, 3, ARM64));
                pods.addAll(create(h, "legacy" + w, 2, AMD64));
                int expected = pods.size();
                await().atMost(Duration.ofSeconds(60)).until(() -> h.boundPods() == expected);
            }
            // the listing's faults wait for the next periodic listing: let it come
            int queued = faults;
            Waiting.until(Duration.ofSeconds(15),
                    () -> stormy.attempts().stream().filter(a -> !a.outcome().equals("ok")).count() == queued);

            ScaleUpAudit audit = ScaleUpAudit.of(h.scaleUps());
            long failedDecisions = h.decisions.stream().filter(d -> Decision.FAILED.equals(d.outcome())).count();
            long applied = stormy.count("increaseSize", "ok");
            long injected = stormy.attempts().stream().filter(a -> !a.outcome().equals("ok")).count();
            int target = h.targetSize("arm") + h.targetSize("x86");
            int most = stormy.mostAttemptsInOneSecond();
            long duplicates = audit.plannedTwice().size() + Math.max(0, applied - audit.decisions())
                    + Math.max(0, target - pods.size());
            ReliabilityLog.write(new ReliabilityLog.Fault("cloud-api-storm", "Cloud API storm: throttling, 5xx, lost requests",
                    "StormyCloud (a faulty cloud API in front of the simulated provider) inside ResilientNodeGroupProvider "
                            + "(8 attempts, 100 ms backoff doubling, " + callsPerSecond + " calls/s, 400 ms per attempt); "
                            + waves + " waves of 5 pods (3 arm64, 2 amd64: both groups scale at once), each meeting 6 failed "
                            + "scale-up attempts and 2 failed listings, "
                            + "3 more at start",
                    pods.size(), audit.decisions(), 0, duplicates, pods.size() - h.boundPods(),
                    injected + " faults injected and ridden out (lost scale-ups read back, then asked again); " + applied + " scale-up attempts reached the cloud for "
                            + audit.decisions() + " decisions, " + failedDecisions + " failed decisions; rate limit " + callsPerSecond
                            + " per limiter second, so at most " + 2 * callsPerSecond + " in a sliding second: "
                            + "the most seen was " + most,
                    Waiting.since(started)));

            assertThat(h.boundPods()).isEqualTo(pods.size());
            assertThat(failedDecisions).as("every scale-up succeeded within its retries").isZero();
            assertThat(audit.plannedTwice()).isEmpty();
            assertThat(audit.neverPlanned(pods)).isEmpty();
            assertThat(applied).as("one successful attempt per decision").isEqualTo(audit.decisions());
            assertThat(target).isEqualTo(pods.size());
            assertThat(injected).as("every queued fault was met").isEqualTo(faults);
            // a sliding second spans at most two limiter periods
            assertThat(most).isLessThanOrEqualTo(2 * callsPerSecond);
        }
    }

    @Test
    void aScaleUpWhoseAnswerComesAfterTheCallTimeoutIsNotAskedForAgain() throws Exception {
        ResiliencePolicy policy = new ResiliencePolicy(
                new ResiliencePolicy.Backoff(8, Duration.ofMillis(100), 2.0, 0.2, Duration.ofSeconds(1)),
                new ResiliencePolicy.Circuit(3, Duration.ofSeconds(30), 1), 10, 8, Duration.ofMillis(400));
        try (FaultHarness h = new FaultHarness(ApiServer.sandbox(), FaultHarness.Setup.single("300ms", 20))
                .withScheduler()) {
            StormyCloud stormy = new StormyCloud(h.cloud);
            ResilientNodeGroupProvider resilient = new ResilientNodeGroupProvider(stormy, policy, h.executor);
            h.wrapProviders(cloud -> resilient, resilient::openCircuits);
            FaultHarness.Replica c = h.start("c0");
            long started = System.nanoTime();
            // the cloud takes the scale-up but answers after the 400 ms the decorator waits
            stormy.queue("increaseSize", StormyCloud.Fault.LATE_ANSWER);
            List<String> pods = create(h, "web", 3, ARM64);
            boolean allBound = Waiting.until(Duration.ofSeconds(30), () -> h.boundPods() == pods.size());
            // a second request would come as a retry before the scale-up's decision is recorded, or from a later
            // plan of the pods while they are pending; once the controller sees them all bound it plans no more
            boolean settled = Waiting.until(Duration.ofSeconds(20), () -> !h.scaleUps().isEmpty() && c.pendingPods() == 0);

            ScaleUpAudit audit = ScaleUpAudit.of(h.scaleUps());
            long reached = stormy.count("increaseSize", "ok") + stormy.count("increaseSize", "LATE_ANSWER");
            int target = h.targetSize("arm") + h.targetSize("x86");
            long failedDecisions = h.decisions.stream().filter(d -> Decision.FAILED.equals(d.outcome())).count();
            long duplicates = audit.plannedTwice().size() + Math.max(0, target - pods.size())
                    + Math.max(0, reached - 1);
            ReliabilityLog.write(new ReliabilityLog.Fault("cloud-late-answer", "Cloud API answers after the call timeout",
                    "StormyCloud lets a scale-up through to the cloud but answers it " + StormyCloud.LATE_BY.toMillis()
                            + " ms later, after the decorator's 400 ms call timeout: the outcome is unknown when it gives up",
                    pods.size(), audit.decisions(), 0, duplicates, pods.size() - h.boundPods(),
                    reached + " scale-up request(s) reached the cloud, target size " + target + " for " + pods.size()
                            + " pods, " + failedDecisions + " failed decisions",
                    Waiting.since(started)));

            assertThat(allBound).isTrue();
            assertThat(settled).as("the scale-up decided and every pod seen bound by the controller").isTrue();
            assertThat(reached).as("scale-up requests that reached the cloud").isEqualTo(1);
            assertThat(target).isEqualTo(pods.size());
            assertThat(audit.plannedTwice()).isEmpty();
            assertThat(audit.neverPlanned(pods)).isEmpty();
        }
    }

    @Test
    void persistentCapacityErrorsOpenTheCircuitPodsFallBackAndTheHalfOpenProbeRestoresTheGroup() throws Exception {
        ResiliencePolicy policy = new ResiliencePolicy(
                new ResiliencePolicy.Backoff(3, Duration.ofMillis(50), 2.0, 0.2, Duration.ofMillis(200)),
                new ResiliencePolicy.Circuit(2, Duration.ofSeconds(5), 1), 10, 8, Duration.ofSeconds(1));
        FaultHarness.Setup setup = FaultHarness.Setup.single("300ms", 20)
                .withScaleUp("{batchIdle: 200ms, batchMax: 1s, maxNodeProvisionTime: 2m, backoffInitial: 1s, backoffMax: 2s,"
                        + " offeringUnavailableFor: 1s}");
        try (FaultHarness h = new FaultHarness(ApiServer.sandbox(), setup).withScheduler()) {
            List<String> transitions = new CopyOnWriteArrayList<>();
            StormyCloud stormy = new StormyCloud(h.cloud);
            ResilientNodeGroupProvider resilient = new ResilientNodeGroupProvider(stormy, policy, h.executor,
                    (provider, group, from, to) -> transitions.add(group + " " + from + "->" + to));
            h.wrapProviders(cloud -> resilient, resilient::openCircuits);
            stormy.capacity("arm", false);
            FaultHarness.Replica c = h.start("c0");
            long started = System.nanoTime();

            List<String> fallen = new ArrayList<>();
            // two scale-ups of arm64 meet InsufficientInstanceCapacity: the second opens the circuit
            for (int w = 1; w <= 2; w++) {
                await().atMost(Duration.ofSeconds(10)).until(() -> backoff(c.status(), "arm") == null);
                fallen.addAll(createAndBind(h, "w" + w, 2));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> transitions.contains("arm CLOSED->OPEN"));
            long armAttemptsWhileOpen = stormy.attempts().stream().filter(a -> a.nodeGroup().equals("arm")).count();
            String circuitShown = circuit(c.status(), "arm");
            // while it is open, the planner does not even try arm64
            fallen.addAll(createAndBind(h, "w3", 2));
            long armAttemptsAfter = stormy.attempts().stream().filter(a -> a.nodeGroup().equals("arm")).count();

            stormy.capacity("arm", true);
            boolean halfOpen = Waiting.until(Duration.ofSeconds(15), () -> transitions.contains("arm OPEN->HALF_OPEN"));
            List<String> restored = createAndBind(h, "w4", 2);
            boolean closed = Waiting.until(Duration.ofSeconds(10), () -> transitions.contains("arm HALF_OPEN->CLOSED"));

            List<String> all = new ArrayList<>(fallen);
            all.addAll(restored);
            ScaleUpAudit audit = ScaleUpAudit.of(h.scaleUps());
            long applied = stormy.count("increaseSize", "ok");
            long fallbackDecisions = h.scaleUps("x86").stream()
                    .filter(Decision::isFallback).count();
            List<String> archFallen = fallen.stream().map(p -> archOf(h, p)).distinct().toList();
            List<String> archRestored = restored.stream().map(p -> archOf(h, p)).distinct().toList();
            long duplicates = audit.plannedTwice().size() + Math.max(0, applied - audit.decisions());
            ReliabilityLog.write(new ReliabilityLog.Fault("cloud-capacity-circuit",
                    "Persistent arm64 capacity errors, then capacity back",
                    "StormyCloud answers every arm64 scale-up InsufficientInstanceCapacity; circuit opens after 2, "
                            + "half-opens after 5 s; capacity returns while it is open; 4 waves of 2 flexible pods",
                    all.size(), audit.decisions(), 0, duplicates, all.size() - h.boundPods(),
                    "circuit " + String.join(", ", transitions) + "; /status showed it " + circuitShown + "; "
                            + (armAttemptsAfter - armAttemptsWhileOpen) + " arm64 calls while open; waves 1-3 on "
                            + archFallen + " (" + fallbackDecisions + " fallback scale-ups), wave 4 on " + archRestored,
                    Waiting.since(started)));

            assertThat(transitions).containsSubsequence("arm CLOSED->OPEN", "arm OPEN->HALF_OPEN", "arm HALF_OPEN->CLOSED");
            assertThat(halfOpen).isTrue();
            assertThat(closed).isTrue();
            assertThat(circuitShown).isEqualTo("open");
            assertThat(armAttemptsAfter).as("no arm64 call while the circuit is open").isEqualTo(armAttemptsWhileOpen);
            assertThat(archFallen).containsExactly("amd64");
            assertThat(archRestored).containsExactly("arm64");
            assertThat(fallbackDecisions).isGreaterThanOrEqualTo(2);
            assertThat(audit.plannedTwice()).isEmpty();
            assertThat(applied).isEqualTo(audit.decisions());
            assertThat(h.boundPods()).isEqualTo(all.size());
        }
    }

    private static List<String> create(FaultHarness h, String workload, int n, Map<String, String> selector) {
        List<String> keys = new ArrayList<>();
        for (Pod p : FaultHarness.pods(workload, n, CPU, MEMORY, selector)) {
            h.client.pods().inNamespace("default").resource(p).create();
            keys.add("default/" + p.getMetadata().getName());
        }
        return keys;
    }

    private static List<String> createAndBind(FaultHarness h, String workload, int n) {
        long before = h.boundPods();
        List<String> keys = create(h, workload, n, Map.of());
        await().atMost(Duration.ofSeconds(30)).until(() -> h.boundPods() == before + n);
        return keys;
    }

    private static String archOf(FaultHarness h, String key) {
        Pod p = h.client.pods().inNamespace("default").withName(key.substring(key.indexOf('/') + 1)).get();
        return h.client.nodes().withName(p.getSpec().getNodeName()).get().getMetadata().getLabels()
                .get("kubernetes.io/arch");
    }

    private static JsonObject group(JsonObject status, String name) {
        for (Object o : status.getJsonArray("nodeGroups")) {
            if (name.equals(((JsonObject) o).getString("name"))) {
                return (JsonObject) o;
            }
        }
        throw new IllegalStateException("no group " + name + " in /status");
    }

    private static JsonObject backoff(JsonObject status, String name) {
        return group(status, name).getJsonObject("backoff");
    }

    private static String circuit(JsonObject status, String name) {
        return group(status, name).getString("circuit");
    }
}
