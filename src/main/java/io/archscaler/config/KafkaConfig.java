package io.archscaler.config;

/** The Kafka cluster events are read from and decisions written to. */
public record KafkaConfig(String bootstrapServers, String groupId, Topics topics, long maxEventBytes) {

    /** Topic names. */
    public record Topics(String podEvents, String metricEvents, String decisions, String deadLetter) {
        public static final Topics DEFAULTS = new Topics("archscaler.pod-events", "archscaler.metric-events",
                "archscaler.decisions", "archscaler.dead-letter");
    }
}
