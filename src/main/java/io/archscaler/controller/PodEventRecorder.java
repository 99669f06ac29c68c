package io.archscaler.controller;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Records Kubernetes Events on pods ({@code TriggeredScaleUp}, {@code NotTriggerScaleUp}, …) as the
 * Cluster Autoscaler does, so {@code kubectl describe pod} says what the autoscaler thought. The
 * same message is not repeated for a pod; calls run on the given executor, never the event loop.
 */
public final class PodEventRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(PodEventRecorder.class);
    private static final int REMEMBERED = 10_000;

    private final KubernetesClient client;
    private final Executor executor;
    private final Clock clock;
    private final Map<String, String> lastMessage = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > REMEMBERED;
        }
    };

    public PodEventRecorder(KubernetesClient client, Executor executor, Clock clock) {
        this.client = client;
        this.executor = executor;
        this.clock = clock;
    }

    public void normal(Pod pod, String reason, String message) {
        record(pod, "Normal", reason, message);
    }

    public void warning(Pod pod, String reason, String message) {
        record(pod, "Warning", reason, message);
    }

    private void record(Pod pod, String type, String reason, String message) {
        String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
        String said = reason + ": " + message;
        synchronized (lastMessage) {
            if (said.equals(lastMessage.get(key))) {
                return;
            }
            lastMessage.put(key, said);
        }
        String now = clock.instant().toString();
        long millis = clock.millis();
        // the Event is built and sent off the caller's thread: the scaler's event loop only queues it
        executor.execute(() -> {
            Event event = event(pod, type, reason, message, said, now, millis);
            try {
                client.v1().events().inNamespace(event.getMetadata().getNamespace()).resource(event).create();
            } catch (RuntimeException e) {
                LOG.debug("could not record event {} on {}: {}", reason, key, e.getMessage());
            }
        });
    }

    private static Event event(Pod pod, String type, String reason, String message, String said, String now,
                               long millis) {
        return new EventBuilder()
                .withNewMetadata()
                .withName(pod.getMetadata().getName() + "." + Long.toHexString(millis) + Integer.toHexString(said.hashCode() & 0xfff))
                .withNamespace(pod.getMetadata().getNamespace()).endMetadata()
                .withNewInvolvedObject().withKind("Pod").withApiVersion("v1")
                .withNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .withUid(pod.getMetadata().getUid()).endInvolvedObject()
                .withType(type).withReason(reason).withMessage(message)
                .withNewSource().withComponent("archscaler").endSource()
                .withReportingComponent("archscaler")
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .build();
    }
}
