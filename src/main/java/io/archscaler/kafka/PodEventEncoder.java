package io.archscaler.kafka;

import io.archscaler.events.PodDeleted;
import io.archscaler.events.PodEvent;
import io.archscaler.events.PodPending;
import io.archscaler.events.PodScheduled;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes a {@link PodEvent} as a pod-event record (key and value), the inverse of {@link PodEventDecoder}. */
public final class PodEventEncoder {
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    /** {@code cluster/namespace/name}: one pod's events share a partition and so keep their order. */
    public static String key(PodEvent event) {
        return event.cluster() + "/" + event.podKey();
    }

    /** The {@code type} field for the event. */
    public static String type(PodEvent event) {
        if (event instanceof PodPending) {
            return "PENDING";
        }
        if (event instanceof PodScheduled) {
            return "SCHEDULED";
        }
        if (event instanceof PodDeleted) {
            return "DELETED";
        }
        throw new IllegalArgumentException("unknown pod event " + event.getClass().getName());
    }

    /** The UTF-8 JSON value; the event's {@code observedAt} travels as the record's timestamp, not in the value. */
    public byte[] encode(PodEvent event) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("cluster", event.cluster());
        value.put("type", type(event));
        value.put("pod", event.pod());
        return serialization.asJson(value).getBytes(StandardCharsets.UTF_8);
    }
}
