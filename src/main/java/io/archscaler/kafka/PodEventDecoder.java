package io.archscaler.kafka;

import io.archscaler.events.PodDeleted;
import io.archscaler.events.PodEvent;
import io.archscaler.events.PodPending;
import io.archscaler.events.PodScheduled;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Objects;

/**
 * Reads a pod-event record value,
 * {@code {"cluster": "prod", "type": "PENDING|SCHEDULED|DELETED", "pod": {...}}}, into a
 * {@link PodEvent}; anything else is an {@link EventDecodeException} naming what is wrong.
 */
public final class PodEventDecoder {
    private final JsonInput input;
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    public PodEventDecoder(int maxEventBytes) {
        this.input = new JsonInput(maxEventBytes);
    }

    /**
     * @param observedAt when the change was seen: the record's timestamp
     */
    public PodEvent decode(byte[] value, Instant observedAt) throws EventDecodeException {
        Objects.requireNonNull(observedAt, "observedAt");
        JsonNode event = input.readObject(value);
        String cluster = JsonInput.requireText(event, "cluster");
        String type = JsonInput.requireText(event, "type");
        JsonNode podNode = JsonInput.require(event, "pod");
        if (!podNode.isObject()) {
            throw new EventDecodeException("field 'pod' must be an object, got " + JsonInput.typeName(podNode));
        }
        Pod pod = toPod(podNode);
        return switch (type) {
            case "PENDING" -> new PodPending(cluster, pod, observedAt);
            case "SCHEDULED" -> new PodScheduled(cluster, pod, observedAt);
            case "DELETED" -> new PodDeleted(cluster, pod, observedAt);
            default -> throw new EventDecodeException(
                "unknown type '" + JsonInput.detail(type) + "', expected PENDING, SCHEDULED or DELETED");
        };
    }

    private Pod toPod(JsonNode podNode) throws EventDecodeException {
        requireIfPresent(podNode, "kind", "Pod");
        requireIfPresent(podNode, "apiVersion", "v1");
        Pod pod;
        try {
            pod = serialization.convertValue(podNode, Pod.class);
        } catch (JacksonException | IllegalArgumentException e) {
            // fabric8 wraps the mapper's exception; its own message says what did not fit without the input echoed
            Throwable reason = e.getCause() instanceof JacksonException ? e.getCause() : e;
            String message = reason instanceof JacksonException j ? j.getOriginalMessage() : reason.getMessage();
            throw new EventDecodeException("'pod' is not a Kubernetes Pod: " + JsonInput.detail(message), e);
        }
        ObjectMeta metadata = pod.getMetadata();
        if (metadata == null) {
            throw new EventDecodeException("pod has no metadata");
        }
        if (metadata.getName() == null || metadata.getName().isBlank()) {
            throw new EventDecodeException("pod has no metadata.name");
        }
        if (metadata.getNamespace() == null || metadata.getNamespace().isBlank()) {
            throw new EventDecodeException("pod " + metadata.getName() + " has no metadata.namespace");
        }
        return pod;
    }

    private static void requireIfPresent(JsonNode podNode, String field, String expected) throws EventDecodeException {
        JsonNode node = podNode.get(field);
        if (node != null && !node.isNull() && !(node.isString() && expected.equals(node.stringValue()))) {
            throw new EventDecodeException("pod." + field + " must be " + expected + ", got "
                + JsonInput.detail(node.isString() ? node.stringValue() : JsonInput.typeName(node)));
        }
    }
}
