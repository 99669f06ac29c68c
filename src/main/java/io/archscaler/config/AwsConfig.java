package io.archscaler.config;

import io.archscaler.scaler.interruption.RebalanceMode;

import java.net.URI;
import java.util.Optional;

/**
 * Where the AWS clients go: the region (empty: the SDK's default chain), endpoint overrides, and
 * the SQS queue EventBridge fills with interruption events, when one is read.
 */
public record AwsConfig(Optional<String> region, Endpoints endpoints, Optional<InterruptionQueue> interruptionQueue) {
    public static final AwsConfig DEFAULTS = new AwsConfig(Optional.empty(), Endpoints.NONE);

    public AwsConfig {
        interruptionQueue = interruptionQueue == null ? Optional.empty() : interruptionQueue;
    }

    /** No interruption queue. */
    public AwsConfig(Optional<String> region, Endpoints endpoints) {
        this(region, endpoints, Optional.empty());
    }

    /** Endpoint overrides per service (tests, VPC endpoints); empty means the SDK's own. */
    public record Endpoints(Optional<URI> eks, Optional<URI> ec2, Optional<URI> autoscaling, Optional<URI> sqs) {
        public static final Endpoints NONE = new Endpoints(Optional.empty(), Optional.empty(), Optional.empty());

        public Endpoints {
            sqs = sqs == null ? Optional.empty() : sqs;
        }

        /** No SQS override. */
        public Endpoints(Optional<URI> eks, Optional<URI> ec2, Optional<URI> autoscaling) {
            this(eks, ec2, autoscaling, Optional.empty());
        }
    }

    /**
     * {@code aws.interruptionQueue}: the queue's URL, and what a rebalance recommendation leads to
     * ({@code record} by default: an Event and a count; {@code act}: a replacement, as for a spot warning).
     */
    public record InterruptionQueue(URI url, RebalanceMode rebalance) {
    }
}
