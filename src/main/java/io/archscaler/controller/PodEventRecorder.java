package io.archscaler.controller;

import io.archscaler.metrics.ArchscalerMetrics;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records Kubernetes Events on pods ({@code TriggeredScaleUp}, {@code NotTriggerScaleUp}, …) as the
 * Cluster Autoscaler does, so {@code kubectl describe pod} says what the autoscaler thought. The
 * same message is not repeated for a pod; calls run on the given executor, never the event loop.
 * Like client-go's event broadcaster, it holds at most {@link #MAX_QUEUED} Events waiting to be
 * sent and drops (and counts) the rest: a scale-up for 20,000 pods must not become 20,000 API
 * calls queued behind each other, nor hold up the scaler. Like a client-go client, it keeps to a
 * pace ({@link #PER_SECOND} a second after a burst of {@link #BURST}), so a burst of Events does not
 * crowd out the API server's other work, nor the controller's own. A drain's Events on its node
 * ({@code ScaleDown}, {@code ScaleDownFailed}) share the same queue and pace; they are not deduplicated.
 */
public final class PodEventRecorder {
    /** client-go's {@code maxQueuedEvents}. */
    static final int MAX_QUEUED = 1000;
    static final double PER_SECOND = 50;
    static final int BURST = 100;
    private static final Logger LOG = LoggerFactory.getLogger(PodEventRecorder.class);
    private static final int REMEMBERED = 10_000;
    private static final Duration WARN_EVERY = Duration.ofMinutes(1);

    private final KubernetesClient client;
    private final Executor executor;
    private final ArchscalerMetrics metrics;
    private final Clock clock;
    private final Pace pace;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong droppedSinceWarning = new AtomicLong();
    private volatile Instant lastWarning = Instant.EPOCH;
    private final Map<PodRef, String> lastMessage = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<PodRef, String> eldest) {
            return size() > REMEMBERED;
        }
    };

    /** {@code executor} must be the recorder's own: it waits there between Events to keep to the pace. */
    public PodEventRecorder(KubernetesClient client, Executor executor, ArchscalerMetrics metrics, Clock clock) {
        this(client, executor, metrics, clock, PER_SECOND, BURST);
    }

    PodEventRecorder(KubernetesClient client, Executor executor, ArchscalerMetrics metrics, Clock clock,
                     double perSecond, int burst) {
        this.client = client;
        this.executor = executor;
        this.metrics = metrics;
        this.clock = clock;
        this.pace = new Pace(perSecond, burst);
    }

    /** A token bucket on the sending thread. */
    private static final class Pace {
        private final double perNano;
        private final int burst;
        private double tokens;
        private long last = System.nanoTime();

        Pace(double perSecond, int burst) {
            this.perNano = perSecond / 1e9;
            this.burst = burst;
            this.tokens = burst;
        }

        synchronized void await() throws InterruptedException {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - last) * perNano);
            last = now;
            if (tokens < 1) {
                long wait = (long) Math.ceil((1 - tokens) / perNano);
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                tokens = 1;
                last = System.nanoTime();
            }
            tokens--;
        }
    }

    void normal(PodRef pod, String reason, String message) {
        record(List.of(pod), "Normal", reason, message);
    }

    /** The same Event on each of the pods (a scale-up's {@code TriggeredScaleUp}), sent in one go. */
    void normal(List<PodRef> pods, String reason, String message) {
        record(pods, "Normal", reason, message);
    }

    void warning(PodRef pod, String reason, String message) {
        record(List.of(pod), "Warning", reason, message);
    }

    /** An Event on a node, as {@code kubectl describe node} shows it. */
    void node(String node, String type, String reason, String message) {
        if (queued.incrementAndGet() > MAX_QUEUED) {
            queued.decrementAndGet();
            dropped(1);
            return;
        }
        ObjectReference about = new ObjectReferenceBuilder().withKind("Node").withApiVersion("v1").withName(node)
                .build();
        Said said = said(type, reason, message);
        // Events on cluster-scoped objects live in the default namespace, as kubectl looks for them there
        executor.execute(() -> send(about, "default", said));
    }

    private void record(List<PodRef> pods, String type, String reason, String message) {
        String said = reason + ": " + message;
        List<PodRef> toSend = new ArrayList<>(Math.min(pods.size(), MAX_QUEUED));
        int dropped = 0;
        synchronized (lastMessage) {
            for (int i = 0; i < pods.size(); i++) {
                if (queued.get() >= MAX_QUEUED) {
                    // the rest cannot be queued: counted as dropped without looking each up (a repeat among them
                    // would have been left out, not dropped, but a scale-up's message is new to its pods)
                    dropped += pods.size() - i;
                    break;
                }
                PodRef pod = pods.get(i);
                if (said.equals(lastMessage.get(pod))) {
                    continue;
                }
                queued.incrementAndGet();
                // remembered only once queued: a dropped Event may be recorded the next time it is said
                lastMessage.put(pod, said);
                toSend.add(pod);
            }
        }
        if (dropped > 0) {
            dropped(dropped);
        }
        if (toSend.isEmpty()) {
            return;
        }
        Said event = said(type, reason, message);
        // the Events are built and sent off the caller's thread: the scaler's event loop only hands them over
        executor.execute(() -> toSend.forEach(pod -> send(involved(pod), pod.namespace(), event)));
    }

    /** What an Event says and when it was said, the same for every object it goes on. */
    private record Said(String type, String reason, String message, String at, long atMillis) {
    }

    private Said said(String type, String reason, String message) {
        return new Said(type, reason, message, clock.instant().toString(), clock.millis());
    }

    private void send(ObjectReference about, String namespace, Said said) {
        String reason = said.reason();
        try {
            pace.await();
            Event event = new EventBuilder()
                    .withNewMetadata()
                    .withName(about.getName() + "." + Long.toHexString(said.atMillis())
                            + Integer.toHexString((reason + ": " + said.message()).hashCode() & 0xfff))
                    .withNamespace(namespace).endMetadata()
                    .withInvolvedObject(about)
                    .withType(said.type()).withReason(reason).withMessage(said.message())
                    .withNewSource().withComponent("archscaler").endSource()
                    .withReportingComponent("archscaler")
                    .withFirstTimestamp(said.at()).withLastTimestamp(said.at()).withCount(1)
                    .build();
            client.v1().events().inNamespace(namespace).resource(event).create();
            metrics.kubeEvent("recorded");
        } catch (InterruptedException e) {
            // shutting down: what is left is not sent
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            metrics.kubeEvent("failed");
            LOG.debug("could not record event {} on {} {}: {}", reason, about.getKind(), about.getName(), e.getMessage());
        } finally {
            queued.decrementAndGet();
        }
    }

    private void dropped(int events) {
        metrics.kubeEvents("dropped", events);
        long dropped = droppedSinceWarning.addAndGet(events);
        Instant now = clock.instant();
        if (Duration.between(lastWarning, now).compareTo(WARN_EVERY) >= 0) {
            lastWarning = now;
            droppedSinceWarning.addAndGet(-dropped);
            LOG.warn("dropped {} Kubernetes Event(s) on pods: {} were already waiting to be sent", dropped, MAX_QUEUED);
        }
    }

    private static ObjectReference involved(PodRef pod) {
        return new ObjectReferenceBuilder().withKind("Pod").withApiVersion("v1")
                .withNamespace(pod.namespace()).withName(pod.name()).withUid(pod.uid()).build();
    }
}
