package io.archscaler.controller;

import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.testing.SandboxCluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import static org.assertj.core.api.Assertions.assertThat;

/** The Event recorder against fabric8's CRUD mock API: what it writes, what it leaves out, and its bounded queue. */
class PodEventRecorderMockTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);

    private final SandboxCluster cluster = new SandboxCluster();
    private final KubernetesClient client = cluster.client();
    private final ArchscalerMetrics metrics = new ArchscalerMetrics();
    /** Holds the recorder's work until the test runs it, as a busy sender would. */
    private final List<Runnable> held = new ArrayList<>();
    private final Executor holding = held::add;

    @AfterEach
    void close() {
        metrics.close();
        cluster.close();
    }

    @Test
    void recordsAnEventOnThePodAsTheClusterAutoscalerDoes() {
        PodEventRecorder recorder = recorder(client, Runnable::run);

        recorder.normal(pod("web-0"), "TriggeredScaleUp", "pod triggered scale-up: [{arm-general 2->3 (max: 10)}]");

        List<Event> events = client.v1().events().inNamespace("shop").list().getItems();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Normal");
            assertThat(e.getReason()).isEqualTo("TriggeredScaleUp");
            assertThat(e.getMessage()).isEqualTo("pod triggered scale-up: [{arm-general 2->3 (max: 10)}]");
            assertThat(e.getInvolvedObject().getKind()).isEqualTo("Pod");
            assertThat(e.getInvolvedObject().getName()).isEqualTo("web-0");
            assertThat(e.getInvolvedObject().getUid()).isEqualTo("uid-web-0");
            assertThat(e.getSource().getComponent()).isEqualTo("archscaler");
            assertThat(e.getFirstTimestamp()).isEqualTo("2026-11-22T10:00:00Z");
        });
        assertThat(metrics.scrape()).contains("archscaler_kube_events_total{outcome=\"recorded\"} 1.0");
    }

    @Test
    void theSameMessageForAPodIsRecordedOnceAndANewOneAgain() {
        PodEventRecorder recorder = recorder(client, Runnable::run);

        recorder.normal(pod("web-0"), "NotTriggerScaleUp", "pod didn't trigger scale-up: no group fits");
        recorder.normal(pod("web-0"), "NotTriggerScaleUp", "pod didn't trigger scale-up: no group fits");
        recorder.normal(pod("web-0"), "TriggeredScaleUp", "pod triggered scale-up: [{arm-general 2->3 (max: 10)}]");

        assertThat(client.v1().events().inNamespace("shop").list().getItems())
                .extracting(Event::getReason).containsExactlyInAnyOrder("NotTriggerScaleUp", "TriggeredScaleUp");
    }

    @Test
    void atMostAThousandEventsWaitToBeSentAndTheRestAreDroppedAndCounted() {
        PodEventRecorder recorder = recorder(client, holding);

        for (int i = 0; i < PodEventRecorder.MAX_QUEUED + 5; i++) {
            recorder.normal(pod("web-" + i), "TriggeredScaleUp", "pod triggered scale-up");
        }

        assertThat(held).hasSize(PodEventRecorder.MAX_QUEUED);
        assertThat(metrics.scrape()).contains("archscaler_kube_events_total{outcome=\"dropped\"} 5.0");
        held.forEach(Runnable::run);
        held.clear();
        assertThat(client.v1().events().inNamespace("shop").list().getItems()).hasSize(PodEventRecorder.MAX_QUEUED);

        // with the queue empty again, a dropped Event is recorded when it is said again
        recorder.normal(pod("web-" + PodEventRecorder.MAX_QUEUED), "TriggeredScaleUp", "pod triggered scale-up");
        assertThat(held).hasSize(1);
    }

    @Test
    void aScaleUpsEventsGoOutInOneHandOverUpToTheQueuesRoom() {
        PodEventRecorder recorder = recorder(client, holding);
        List<PodRef> pods = new ArrayList<>();
        for (int i = 0; i < PodEventRecorder.MAX_QUEUED + 5; i++) {
            pods.add(pod("web-" + i));
        }

        recorder.normal(pods, "TriggeredScaleUp", "pod triggered scale-up: [{arm-general 0->20 (max: 100)}]");
        // while the queue is full, everything said is counted dropped without being looked up
        recorder.normal(pods.subList(PodEventRecorder.MAX_QUEUED - 5, PodEventRecorder.MAX_QUEUED + 5), "TriggeredScaleUp",
                "pod triggered scale-up: [{arm-general 0->20 (max: 100)}]");

        assertThat(held).hasSize(1);
        assertThat(metrics.scrape()).contains("archscaler_kube_events_total{outcome=\"dropped\"} 15.0");
        held.get(0).run();
        assertThat(client.v1().events().inNamespace("shop").list().getItems())
                .hasSize(PodEventRecorder.MAX_QUEUED)
                .extracting(e -> e.getInvolvedObject().getName()).doesNotHaveDuplicates();
        assertThat(metrics.scrape()).contains("archscaler_kube_events_total{outcome=\"recorded\"} 1000.0");
    }

    @Test
    void anEventTheApiServerRefusesIsCountedAsFailedAndFreesItsPlace() {
        SandboxCluster stopped = new SandboxCluster();
        KubernetesClient gone = stopped.client();
        stopped.close();
        PodEventRecorder recorder = recorder(gone, holding);
        recorder.normal(pod("web-0"), "TriggeredScaleUp", "pod triggered scale-up");

        held.forEach(Runnable::run);

        assertThat(metrics.scrape()).contains("archscaler_kube_events_total{outcome=\"failed\"} 1.0");
        held.clear();
        for (int i = 1; i <= PodEventRecorder.MAX_QUEUED; i++) {
            recorder.normal(pod("web-" + i), "TriggeredScaleUp", "pod triggered scale-up");
        }
        assertThat(held).hasSize(PodEventRecorder.MAX_QUEUED);
    }

    @Test
    void pastItsBurstItSendsAtItsPace() {
        PodEventRecorder recorder = new PodEventRecorder(client, Runnable::run, metrics, CLOCK, 100, 5);
        List<PodRef> pods = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            pods.add(pod("web-" + i));
        }
        long started = System.nanoTime();

        recorder.normal(pods, "TriggeredScaleUp", "pod triggered scale-up");

        // 5 at once, then 20 at 100 a second: at least 200 ms (sleeps never end early)
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(190_000_000L);
        assertThat(client.v1().events().inNamespace("shop").list().getItems()).hasSize(25);
    }

    /** Paced fast enough that the tests do not wait on it. */
    private PodEventRecorder recorder(KubernetesClient to, Executor executor) {
        return new PodEventRecorder(to, executor, metrics, CLOCK, 1e9, PodEventRecorder.MAX_QUEUED);
    }

    private static PodRef pod(String name) {
        return new PodRef("shop", name, "uid-" + name);
    }
}
