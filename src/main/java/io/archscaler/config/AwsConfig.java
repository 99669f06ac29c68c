package io.archscaler.config;

import java.net.URI;
import java.util.Optional;

/** Where the AWS clients go: the region (empty: the SDK's default chain) and endpoint overrides. */
public record AwsConfig(Optional<String> region, Endpoints endpoints) {
    public static final AwsConfig DEFAULTS = new AwsConfig(Optional.empty(), Endpoints.NONE);

    /** Endpoint overrides per service (tests, VPC endpoints); empty means the SDK's own. */
    public record Endpoints(Optional<URI> eks, Optional<URI> ec2, Optional<URI> autoscaling) {
        public static final Endpoints NONE = new Endpoints(Optional.empty(), Optional.empty(), Optional.empty());
    }
}
