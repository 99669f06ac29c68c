package io.archscaler.controller;

import io.archscaler.cloud.aws.interruption.EventBridgeMessages;
import io.archscaler.cloud.aws.interruption.InterruptionQueue;
import io.archscaler.cloud.aws.interruption.QueueMessage;
import io.archscaler.cloud.aws.interruption.SqsInterruptionQueue;
import io.archscaler.events.EventAddresses;
import io.archscaler.events.InterruptionReport;
import io.archscaler.metrics.ArchscalerMetrics;
import io.archscaler.scaler.interruption.InterruptionNotice;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Reads the interruption queue while this replica leads: long polls it, hands each message to
 * the scaler on {@link EventAddresses#INTERRUPTIONS}, and deletes a message only once the reply
 * says it was handled (at-least-once). A message whose handling failed is made visible again
 * after {@code retryDelay}, well inside a spot warning's two minutes, rather than after the
 * whole handling time; one read just as leadership was lost is made visible at once, for the
 * next leader. A malformed message is deleted like a handled one: reading it again cannot help
 * (a message that keeps failing goes to the queue's own dead-letter queue, when its redrive
 * policy sets one, not to Kafka's). Polls again at once while messages are handled, so a burst
 * of warnings is not held up behind one drain.
 */
public final class InterruptionReader extends AbstractVerticle {
    private static final Logger LOG = LoggerFactory.getLogger(InterruptionReader.class);
    /** How soon a message whose handling failed comes back. */
    public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(5);
    private static final Duration AFTER_FAILED_RECEIVE = Duration.ofSeconds(5);

    private final InterruptionQueue queue;
    private final ArchscalerMetrics metrics;
    private final Duration retryDelay;
    private boolean leader;
    private boolean polling;
    private boolean stopped;

    public InterruptionReader(InterruptionQueue queue, ArchscalerMetrics metrics, Duration retryDelay) {
        this.queue = queue;
        this.metrics = metrics;
        this.retryDelay = retryDelay;
    }

    /** The queue's URL, for {@code /status}. */
    public String url() {
        return queue.url();
    }

    /** Only the leader reads the queue; a follower leaves its messages to the leader. */
    public void setLeader(boolean isLeader) {
        context.runOnContext(v -> {
            leader = isLeader;
            if (isLeader) {
                LOG.info("reading interruption queue {}", queue.url());
                poll();
            }
        });
    }

    @Override
    public void stop() {
        stopped = true;
        queue.close();
    }

    private void poll() {
        if (!leader || stopped || polling) {
            return;
        }
        polling = true;
        call("receiveMessage", queue::receive).onComplete(ar -> {
            polling = false;
            if (ar.failed()) {
                if (!stopped) {
                    LOG.warn("reading interruption queue {} failed: {}", queue.url(), ar.cause().getMessage());
                    vertx.setTimer(AFTER_FAILED_RECEIVE.toMillis(), t -> poll());
                }
                return;
            }
            for (QueueMessage m : ar.result()) {
                if (leader) {
                    handle(m);
                } else {
                    retryIn(m, Duration.ZERO);
                }
            }
            poll();
        });
    }

    private void handle(QueueMessage m) {
        InterruptionNotice notice = EventBridgeMessages.parse(m.messageId(), m.body());
        DeliveryOptions options = new DeliveryOptions().setSendTimeout(SqsInterruptionQueue.HANDLING_TIME.toMillis());
        vertx.eventBus().<InterruptionReport>request(EventAddresses.INTERRUPTIONS, notice, options)
                .onComplete(ar -> {
                    if (ar.succeeded() && ar.result().body().settled()) {
                        call("deleteMessage", () -> queue.delete(m)).onFailure(e -> LOG.warn(
                                "interruption message {} handled but not deleted (it will come back as a duplicate): {}",
                                m.messageId(), e.getMessage()));
                        return;
                    }
                    String why = ar.failed() ? ar.cause().getMessage() : failures(ar.result().body());
                    LOG.warn("interruption message {} (receive #{}) not handled, back in {}: {}", m.messageId(),
                            m.receiveCount(), retryDelay, why);
                    retryIn(m, retryDelay);
                });
    }

    private void retryIn(QueueMessage m, Duration delay) {
        call("changeMessageVisibility", () -> queue.retryIn(m, delay)).onFailure(e -> LOG.warn(
                "interruption message {} not released ({}); it comes back after its visibility timeout",
                m.messageId(), e.getMessage()));
    }

    /** One SQS call, counted with the other cloud API calls. */
    private <T> Future<T> call(String operation, Supplier<CompletionStage<T>> call) {
        long started = System.nanoTime();
        Promise<T> p = Promise.promise();
        Future.fromCompletionStage(call.get(), context).onComplete(ar -> {
            metrics.cloudApiCall("sqs", operation, "", ar.succeeded() ? "success" : "error",
                    Duration.ofNanos(System.nanoTime() - started));
            p.handle(ar);
        });
        return p.future();
    }

    private static String failures(InterruptionReport r) {
        List<String> out = r.handled().stream().filter(h -> !h.outcome().settled())
                .map(h -> h.instanceId() + ": " + h.detail()).toList();
        return String.join("; ", out);
    }
}
