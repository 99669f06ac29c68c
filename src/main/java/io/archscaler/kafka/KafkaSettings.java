package io.archscaler.kafka;

import java.util.Objects;

/**
 * Where the Kafka side of the controller reads and writes: the {@code kafka:} section of the
 * configuration.
 *
 * @param maxEventBytes records larger than this are dead-lettered unread
 */
public record KafkaSettings(String bootstrapServers, String groupId, String podEventsTopic, String metricEventsTopic,
                            String decisionsTopic, String deadLetterTopic, int maxEventBytes) {
    /** 1 MiB, the broker's default largest message. */
    public static final int DEFAULT_MAX_EVENT_BYTES = 1 << 20;

    public KafkaSettings {
        requireText(bootstrapServers, "bootstrapServers");
        requireText(groupId, "groupId");
        requireText(podEventsTopic, "topics.podEvents");
        requireText(metricEventsTopic, "topics.metricEvents");
        requireText(decisionsTopic, "topics.decisions");
        requireText(deadLetterTopic, "topics.deadLetter");
        if (maxEventBytes <= 0) {
            throw new IllegalArgumentException("kafka.maxEventBytes must be positive, got " + maxEventBytes);
        }
    }

    /** The defaults of DESIGN.md for one broker address. */
    public static KafkaSettings defaults(String bootstrapServers) {
        return new KafkaSettings(bootstrapServers, "archscaler", "archscaler.pod-events", "archscaler.metric-events",
            "archscaler.decisions", "archscaler.dead-letter", DEFAULT_MAX_EVENT_BYTES);
    }

    private static void requireText(String value, String key) {
        if (Objects.requireNonNullElse(value, "").isBlank()) {
            throw new IllegalArgumentException("kafka." + key + " must not be empty");
        }
    }
}
