package io.archscaler.cloud.aws.interruption;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** The SQS calls the interruption reader makes, and nothing more, so tests and the demo point it anywhere. */
public interface InterruptionQueue extends AutoCloseable {
    /** The queue's URL, as shown in {@code /status}. */
    String url();

    /** Waits up to the long-poll time for messages; empty when none came. */
    CompletionStage<List<QueueMessage>> receive();

    /** Removes a message that was handled. */
    CompletionStage<Void> delete(QueueMessage message);

    /** Makes a message that was not handled visible again after {@code delay} (zero: at once). */
    CompletionStage<Void> retryIn(QueueMessage message, Duration delay);

    @Override
    void close();
}
