package io.archscaler.cloud.aws;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Finds the facts of an instance type (arch, vCPU, memory, max pods, GPUs, price): a bundled
 * catalog, EC2 {@code DescribeInstanceTypes}, or one after the other. Asynchronous because the
 * EC2 lookup is a network call; an unknown type is an empty result, not a failure.
 */
@FunctionalInterface
public interface InstanceTypeLookup {

    CompletionStage<Optional<InstanceTypeFacts>> facts(String instanceType);

    /** This lookup, and {@code next} for the types this one does not know. */
    default InstanceTypeLookup orElse(InstanceTypeLookup next) {
        return type -> facts(type).thenCompose(found -> found.isPresent()
                ? CompletableFuture.completedFuture(found)
                : next.facts(type));
    }

    /** A lookup over an in-memory source, such as a bundled catalog. */
    static InstanceTypeLookup of(Function<String, Optional<InstanceTypeFacts>> source) {
        return type -> CompletableFuture.completedFuture(source.apply(type));
    }
}
