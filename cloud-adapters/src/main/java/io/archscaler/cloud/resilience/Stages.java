package io.archscaler.cloud.resilience;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/** Small helpers so decorated stages fail with the provider's own exception, never a wrapper. */
final class Stages {
    private Stages() {
    }

    static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** The supplier's stage, or a failed one when the supplier throws instead of returning a failed stage. */
    static <T> CompletionStage<T> call(Supplier<? extends CompletionStage<T>> supplier) {
        try {
            CompletionStage<T> stage = supplier.get();
            return stage != null ? stage : CompletableFuture.failedFuture(
                    new IllegalStateException("provider returned no CompletionStage"));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Completes {@code target} as {@code source} completes, with the failure unwrapped. */
    static <T> void relay(CompletionStage<T> source, CompletableFuture<T> target) {
        source.whenComplete((value, failure) -> {
            if (failure == null) {
                target.complete(value);
            } else {
                target.completeExceptionally(unwrap(failure));
            }
        });
    }
}
