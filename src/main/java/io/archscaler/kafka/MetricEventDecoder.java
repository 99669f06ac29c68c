package io.archscaler.kafka;

import io.archscaler.events.MetricSample;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Reads a metric-event record value,
 * {@code {"cluster","namespace","hpa","metric","value","timestamp"}}, into a {@link MetricSample};
 * anything else is an {@link EventDecodeException} naming what is wrong.
 */
public final class MetricEventDecoder {
    private final JsonInput input;

    public MetricEventDecoder(int maxEventBytes) {
        this.input = new JsonInput(maxEventBytes);
    }

    public MetricSample decode(byte[] value) throws EventDecodeException {
        JsonNode event = input.readObject(value);
        String cluster = JsonInput.requireText(event, "cluster");
        String namespace = JsonInput.requireText(event, "namespace");
        String hpa = JsonInput.requireText(event, "hpa");
        String metric = JsonInput.requireText(event, "metric");
        JsonNode valueNode = JsonInput.require(event, "value");
        if (!valueNode.isNumber()) {
            throw new EventDecodeException("field 'value' must be a number, got " + JsonInput.typeName(valueNode));
        }
        double number = valueNode.doubleValue();
        if (!Double.isFinite(number)) {
            throw new EventDecodeException("field 'value' is out of range");
        }
        // an HPA metric (utilization, rate, count, queue length) is never below zero
        if (number < 0) {
            throw new EventDecodeException("field 'value' must not be negative, got " + number);
        }
        String timestamp = JsonInput.requireText(event, "timestamp");
        Instant at;
        try {
            at = Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            throw new EventDecodeException("field 'timestamp' is not an ISO-8601 instant such as 2026-11-22T10:00:00Z: '"
                + JsonInput.detail(timestamp) + "'");
        }
        return new MetricSample(cluster, namespace, hpa, metric, number, at);
    }
}
