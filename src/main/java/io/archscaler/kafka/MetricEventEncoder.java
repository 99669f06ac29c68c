package io.archscaler.kafka;

import io.archscaler.events.MetricSample;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;

/** Writes a {@link MetricSample} as a metric-event record (key and value), the inverse of {@link MetricEventDecoder}. */
public final class MetricEventEncoder {
    private final ObjectMapper mapper = JsonMapper.builder().build();

    /** {@code cluster/namespace/hpa}: one HPA's samples share a partition and so keep their order. */
    public static String key(MetricSample sample) {
        return sample.cluster() + "/" + sample.namespace() + "/" + sample.hpa();
    }

    public byte[] encode(MetricSample sample) {
        ObjectNode value = mapper.createObjectNode()
            .put("cluster", sample.cluster())
            .put("namespace", sample.namespace())
            .put("hpa", sample.hpa())
            .put("metric", sample.metric())
            .put("value", sample.value())
            .put("timestamp", sample.timestamp().toString());
        return mapper.writeValueAsString(value).getBytes(StandardCharsets.UTF_8);
    }
}
