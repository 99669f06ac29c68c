package io.archscaler.kafka;

import io.archscaler.events.PodDeleted;
import io.archscaler.events.PodEvent;
import io.archscaler.events.PodPending;
import io.archscaler.events.PodScheduled;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.Objects;

/**
 * Reads a pod-event record value,
 * {@code {"cluster": "prod", "type": "PENDING|SCHEDULED|DELETED", "pod": {...}}}, into a
 * {@link PodEvent}; anything else is an {@link EventDecodeException} naming what is wrong.
 * <p>
 * The envelope is read with a streaming parser that checks the whole value (limits, duplicate
 * keys, trailing tokens) and notes where the pod's object lies; the pod is then bound straight
 * from those bytes. Building a JSON tree first and converting it cost twice the time and most
 * of the garbage of a burst of events.
 */
public final class PodEventDecoder {
    private final JsonInput input;
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    public PodEventDecoder(int maxEventBytes) {
        this.input = new JsonInput(maxEventBytes);
    }

    /** A field of the envelope, or of the pod's top level, as the parser met it. */
    private static final class Field {
        JsonToken token;
        String text;

        void read(JsonParser parser, JsonToken value) {
            token = value;
            text = value == JsonToken.VALUE_STRING ? parser.getString() : null;
        }

        boolean missing() {
            return token == null || token == JsonToken.VALUE_NULL;
        }
    }

    /** What a pass over the value found. */
    private static final class Envelope {
        JsonToken root;
        final Field cluster = new Field();
        final Field type = new Field();
        final Field pod = new Field();
        final Field kind = new Field();
        final Field apiVersion = new Field();
        int podStart;
        int podEnd;
    }

    /**
     * @param observedAt when the change was seen: the record's timestamp
     */
    public PodEvent decode(byte[] value, Instant observedAt) throws EventDecodeException {
        Objects.requireNonNull(observedAt, "observedAt");
        Envelope envelope = scan(value);
        if (envelope.root != JsonToken.START_OBJECT) {
            throw new EventDecodeException("expected a JSON object, got " + JsonInput.typeName(envelope.root));
        }
        String cluster = requireText(envelope.cluster, "cluster");
        String type = requireText(envelope.type, "type");
        if (envelope.pod.missing()) {
            throw new EventDecodeException("missing field 'pod'");
        }
        if (envelope.pod.token != JsonToken.START_OBJECT) {
            throw new EventDecodeException("field 'pod' must be an object, got " + JsonInput.typeName(envelope.pod.token));
        }
        requireIfPresent(envelope.kind, "kind", "Pod");
        requireIfPresent(envelope.apiVersion, "apiVersion", "v1");
        Pod pod = toPod(value, envelope);
        return switch (type) {
            case "PENDING" -> new PodPending(cluster, pod, observedAt);
            case "SCHEDULED" -> new PodScheduled(cluster, pod, observedAt);
            case "DELETED" -> new PodDeleted(cluster, pod, observedAt);
            default -> throw new EventDecodeException(
                "unknown type '" + JsonInput.detail(type) + "', expected PENDING, SCHEDULED or DELETED");
        };
    }

    /** Reads the whole value once; what it means is judged afterwards, so a value that is not JSON says so first. */
    private Envelope scan(byte[] value) throws EventDecodeException {
        Envelope envelope = new Envelope();
        try (JsonParser parser = input.parser(value)) {
            envelope.root = parser.nextToken();
            if (envelope.root == null) {
                throw new EventDecodeException("not JSON: the value is empty");
            }
            if (envelope.root == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                    String name = parser.currentName();
                    JsonToken token = parser.nextToken();
                    switch (name) {
                        case "cluster" -> envelope.cluster.read(parser, token);
                        case "type" -> envelope.type.read(parser, token);
                        case "pod" -> {
                            envelope.pod.read(parser, token);
                            if (token == JsonToken.START_OBJECT) {
                                scanPod(parser, envelope);
                                continue;
                            }
                        }
                        default -> {
                        }
                    }
                    parser.skipChildren();
                }
            } else {
                parser.skipChildren();
            }
            if (parser.nextToken() != null) {
                throw new EventDecodeException("not JSON: trailing content after the value");
            }
        } catch (JacksonException e) {
            throw JsonInput.malformed(e);
        }
        return envelope;
    }

    /** Notes the pod's kind and apiVersion and where its object starts and ends, skipping the rest. */
    private static void scanPod(JsonParser parser, Envelope envelope) {
        envelope.podStart = (int) parser.currentTokenLocation().getByteOffset();
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = parser.currentName();
            JsonToken token = parser.nextToken();
            if (name.equals("kind")) {
                envelope.kind.read(parser, token);
            } else if (name.equals("apiVersion")) {
                envelope.apiVersion.read(parser, token);
            }
            parser.skipChildren();
        }
        envelope.podEnd = (int) parser.currentLocation().getByteOffset();
    }

    private Pod toPod(byte[] value, Envelope envelope) throws EventDecodeException {
        Pod pod;
        try {
            pod = serialization.unmarshal(
                new ByteArrayInputStream(value, envelope.podStart, envelope.podEnd - envelope.podStart), Pod.class);
        } catch (JacksonException | KubernetesClientException | IllegalArgumentException e) {
            // fabric8 may wrap the mapper's exception; its own message says what did not fit without the input echoed
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

    private static String requireText(Field field, String name) throws EventDecodeException {
        if (field.missing()) {
            throw new EventDecodeException("missing field '" + name + "'");
        }
        if (field.token != JsonToken.VALUE_STRING) {
            throw new EventDecodeException("field '" + name + "' must be a string, got " + JsonInput.typeName(field.token));
        }
        if (field.text.isBlank()) {
            throw new EventDecodeException("field '" + name + "' must not be empty");
        }
        return field.text;
    }

    private static void requireIfPresent(Field field, String name, String expected) throws EventDecodeException {
        if (!field.missing() && !(field.token == JsonToken.VALUE_STRING && expected.equals(field.text))) {
            throw new EventDecodeException("pod." + name + " must be " + expected + ", got "
                + JsonInput.detail(field.token == JsonToken.VALUE_STRING ? field.text : JsonInput.typeName(field.token)));
        }
    }
}
