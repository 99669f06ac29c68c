package io.archscaler.fleet;

import io.archscaler.config.FleetConfig;
import io.archscaler.config.KafkaConfig;

import java.time.Duration;

/**
 * How a fleet replica uses Kafka: the shared {@code kafka:} section, this replica's name, the
 * compacted scale-ups topic, the consumer session timeout (also how long a replica that could not
 * poll keeps acting), and how far back metric samples are read when a cluster is taken over.
 */
public record FleetSettings(KafkaConfig kafka, String replica, String scaleUpsTopic, Duration sessionTimeout,
                            Duration metricWindow) {

    public static FleetSettings of(FleetConfig fleet, String replica) {
        return new FleetSettings(fleet.kafka(), replica, fleet.fleet().scaleUpsTopic(), fleet.fleet().sessionTimeout(),
                fleet.fleet().metricWindow());
    }
}
