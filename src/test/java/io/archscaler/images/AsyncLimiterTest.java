package io.archscaler.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class AsyncLimiterTest {
    @Test
    void furtherTasksWaitUntilARunningOneCompletes() {
        AsyncLimiter limiter = new AsyncLimiter(2);
        List<CompletableFuture<String>> started = new ArrayList<>();
        List<CompletableFuture<String>> results = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            results.add(limiter.submit(() -> {
                CompletableFuture<String> task = new CompletableFuture<>();
                started.add(task);
                return task;
            }));
        }
        assertThat(started).hasSize(2);
        assertThat(limiter.running()).isEqualTo(2);
        assertThat(limiter.waiting()).isEqualTo(2);

        started.get(0).complete("a");
        assertThat(results.get(0)).isCompletedWithValue("a");
        assertThat(started).hasSize(3);

        started.get(1).completeExceptionally(new IllegalStateException("boom"));
        assertThat(results.get(1)).isCompletedExceptionally();
        assertThat(started).hasSize(4);
        assertThat(limiter.waiting()).isZero();

        started.get(2).complete("c");
        started.get(3).complete("d");
        assertThat(results.get(3)).isCompletedWithValue("d");
        assertThat(limiter.running()).isZero();
    }

    @Test
    void aTaskThatThrowsReleasesItsPlace() {
        AsyncLimiter limiter = new AsyncLimiter(1);

        CompletableFuture<String> failed = limiter.submit(() -> {
            throw new IllegalStateException("could not start");
        });
        CompletableFuture<String> next = limiter.submit(() -> CompletableFuture.completedFuture("ok"));

        assertThat(failed).isCompletedExceptionally();
        assertThat(next).isCompletedWithValue("ok");
        assertThat(limiter.running()).isZero();
    }
}
