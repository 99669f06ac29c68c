package io.archscaler.kafka;

import io.archscaler.events.EventAddresses;
import io.archscaler.events.MetricSample;
import io.archscaler.events.PodEvent;
import io.archscaler.events.PodEventBatch;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import io.vertx.kafka.client.producer.KafkaProducer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads pod and metric events from Kafka and sends them on the event bus as requests: the pod
 * events of each poll as one {@link PodEventBatch} ({@link EventAddresses#POD_BATCHES}), metric
 * samples one by one ({@link EventAddresses#METRICS}). A record's offset is committed only after
 * the reply came, and only as part of a gap-free run of handled records of its partition; a
 * failed or unanswered request is tried again from its first record, never skipped.
 * Records that cannot be read go to the dead-letter topic and are then committed. The consumer
 * rides out broker outages: the Kafka client reconnects, and failed commits are tried again.
 */
public final class KafkaEventSource extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaEventSource.class);
    private static final Duration MAX_RETRY_BACKOFF = Duration.ofSeconds(10);
    /**
     * A commit after every poll made each small poll an OffsetCommit write on the broker's
     * offsets log; a crash loses at most this much of commits, and events read again are applied
     * again harmlessly.
     */
    static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);

    /**
     * How long to wait for things.
     *
     * @param requestTimeout how long the event bus waits for a reply before the record is tried again
     * @param pollTimeout    how long one poll of the broker may wait for records
     * @param retryBackoff   the first pause before records are tried again; it doubles while failures go on
     */
    public record Timing(Duration requestTimeout, Duration pollTimeout, Duration retryBackoff) {
        public static final Timing DEFAULT = new Timing(Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofMillis(500));
    }

    private final KafkaSettings settings;
    private final EventSourceObserver observer;
    private final Timing timing;
    private final PodEventDecoder podDecoder;
    private final MetricEventDecoder metricDecoder;
    private final OffsetTracker offsets = new OffsetTracker();

    private KafkaConsumer<byte[], byte[]> consumer;
    private DeadLetterWriter deadLetters;
    private boolean stopping;
    private Future<Void> commitInFlight;
    private boolean commitAgain;
    private boolean commitTimerSet;
    private long lastCommitNanos = System.nanoTime() - COMMIT_INTERVAL.toNanos();
    private Duration backoff;

    public KafkaEventSource(KafkaSettings settings, EventSourceObserver observer) {
        this(settings, observer, Timing.DEFAULT);
    }

    public KafkaEventSource(KafkaSettings settings, EventSourceObserver observer, Timing timing) {
        this.settings = settings;
        this.observer = observer;
        this.timing = timing;
        this.podDecoder = new PodEventDecoder(settings.maxEventBytes());
        this.metricDecoder = new MetricEventDecoder(settings.maxEventBytes());
        this.backoff = timing.retryBackoff();
    }

    @Override
    public Future<?> start() {
        consumer = KafkaConsumer.create(vertx, consumerConfig("archscaler-events-" + deploymentID()),
            new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.exceptionHandler(e -> LOG.warn("Kafka consumer: {}", e.toString()));
        consumer.partitionsRevokedHandler(partitions -> offsets.forget(
            partitions.stream().map(p -> new TopicPartition(p.getTopic(), p.getPartition())).collect(Collectors.toSet())));
        deadLetters = new DeadLetterWriter(
            KafkaProducer.create(vertx, producerConfig("archscaler-dead-letters-" + deploymentID()),
                new ByteArraySerializer(), new ByteArraySerializer()),
            settings.deadLetterTopic());
        return consumer.subscribe(Set.of(settings.podEventsTopic(), settings.metricEventsTopic()))
            .onSuccess(v -> poll());
    }

    @Override
    public Future<?> stop() {
        stopping = true;
        Future<Void> inFlight = commitInFlight == null ? Future.succeededFuture() : commitInFlight.otherwiseEmpty();
        return inFlight
            .compose(v -> commit(offsets.uncommitted()))
            .otherwiseEmpty()
            .eventually(() -> consumer.close())
            .eventually(() -> deadLetters.close());
    }

    private void poll() {
        if (stopping) {
            return;
        }
        consumer.poll(timing.pollTimeout()).onComplete(polled -> {
            if (stopping) {
                return;
            }
            if (polled.failed()) {
                LOG.warn("polling {} and {} failed, trying again: {}", settings.podEventsTopic(),
                    settings.metricEventsTopic(), polled.cause().toString());
                pollLater();
                return;
            }
            handle(polled.result().records()).onComplete(handled -> {
                commitHandled();
                if (handled.succeeded() && handled.result()) {
                    backoff = timing.retryBackoff();
                    poll();
                } else {
                    pollLater();
                }
            });
        });
    }

    private void pollLater() {
        long delay = Math.max(1, backoff.toMillis());
        backoff = backoff.multipliedBy(2).compareTo(MAX_RETRY_BACKOFF) > 0 ? MAX_RETRY_BACKOFF : backoff.multipliedBy(2);
        vertx.setTimer(delay, id -> poll());
    }

    /**
     * Decodes the poll's records and hands them over all at once: its pod events as one batch, its
     * metric samples one by one, what cannot be read to the dead-letter topic (the event bus and the
     * producer keep each partition's order). Then, per partition, marks the records before the first
     * one that was not done with as handled, and goes back to that one so the next poll reads it and
     * those after it again; applying an event twice is harmless. True when every record was done with.
     */
    private Future<Boolean> handle(ConsumerRecords<byte[], byte[]> records) {
        List<PodEvent> pods = new ArrayList<>(records.count());
        Map<TopicPartition, Long> firstPod = new HashMap<>();
        Map<TopicPartition, Long> firstFailed = new HashMap<>();
        List<Future<Void>> done = new ArrayList<>();
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                String topic = record.topic();
                notify(() -> observer.consumed(topic));
                try {
                    if (topic.equals(settings.podEventsTopic())) {
                        pods.add(podDecoder.decode(record.value(), observedAt(record)));
                        firstPod.putIfAbsent(partition, record.offset());
                    } else if (topic.equals(settings.metricEventsTopic())) {
                        MetricSample sample = metricDecoder.decode(record.value());
                        done.add(request(EventAddresses.METRICS, sample, 1, topic)
                            .onFailure(e -> firstFailed.merge(partition, record.offset(), Math::min)));
                    } else {
                        throw new EventDecodeException("topic " + topic + " carries no events Archscaler reads");
                    }
                } catch (EventDecodeException e) {
                    done.add(deadLetter(record, e.getMessage())
                        .onFailure(failed -> firstFailed.merge(partition, record.offset(), Math::min)));
                }
            }
        }
        if (!pods.isEmpty()) {
            done.add(request(EventAddresses.POD_BATCHES, new PodEventBatch(pods), pods.size(), settings.podEventsTopic())
                .onFailure(e -> firstPod.forEach((partition, offset) -> firstFailed.merge(partition, offset, Math::min))));
        }
        return Future.join(done).transform(all -> settle(records, firstFailed));
    }

    private Future<Boolean> settle(ConsumerRecords<byte[], byte[]> records, Map<TopicPartition, Long> firstFailed) {
        if (stopping) {
            return Future.succeededFuture(false);
        }
        List<Future<Void>> seeks = new ArrayList<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> polled = records.records(partition);
            Long failed = firstFailed.get(partition);
            long last = failed == null ? polled.get(polled.size() - 1).offset() : failed - 1;
            if (last >= polled.get(0).offset()) {
                offsets.handled(partition, last);
            }
            if (failed != null) {
                LOG.warn("event at {}@{} was not handled, trying it and those after it again", partition, failed);
                seeks.add(consumer.seek(new io.vertx.kafka.client.common.TopicPartition(partition.topic(),
                        partition.partition()), failed)
                    .onFailure(e -> LOG.warn("cannot go back to {}@{}: {}", partition, failed, e.toString())));
            }
        }
        return Future.join(seeks).transform(sought -> Future.succeededFuture(firstFailed.isEmpty()));
    }

    private Future<Void> deadLetter(ConsumerRecord<byte[], byte[]> record, String reason) {
        String topic = record.topic();
        LOG.warn("dead-lettering {}-{}@{}: {}", topic, record.partition(), record.offset(), reason);
        return deadLetters.write(record, reason).onSuccess(v -> notify(() -> observer.deadLettered(topic, reason)));
    }

    /** Sends events on the bus as a request; succeeds with the reply, which says they were applied. */
    private Future<Void> request(String address, Object body, int events, String topic) {
        long sent = System.nanoTime();
        DeliveryOptions options = new DeliveryOptions().setSendTimeout(timing.requestTimeout().toMillis());
        Future<Void> reply;
        try {
            reply = vertx.eventBus().request(address, body, options).mapEmpty();
        } catch (RuntimeException e) {
            // no codec registered for the event type: a wiring fault, reported like a failed request
            reply = Future.failedFuture(e);
        }
        return reply
            .onSuccess(v -> {
                Duration latency = Duration.ofNanos(System.nanoTime() - sent);
                notify(() -> {
                    for (int i = 0; i < events; i++) {
                        observer.handled(topic, latency);
                    }
                });
            })
            .onFailure(e -> LOG.warn("{} event(s) of {} were not applied: {}", events, topic, e.toString()));
    }

    /**
     * Commits what was handled, at most once per {@link #COMMIT_INTERVAL}: at most one commit runs
     * at a time, and the next one takes everything handled meanwhile.
     */
    private void commitHandled() {
        if (stopping) {
            return;
        }
        if (commitInFlight != null) {
            commitAgain = true;
            return;
        }
        long wait = COMMIT_INTERVAL.toNanos() - (System.nanoTime() - lastCommitNanos);
        if (wait > 0) {
            if (!commitTimerSet) {
                commitTimerSet = true;
                vertx.setTimer(Math.max(1, wait / 1_000_000), id -> {
                    commitTimerSet = false;
                    commitHandled();
                });
            }
            return;
        }
        Map<TopicPartition, Long> pending = offsets.uncommitted();
        if (pending.isEmpty()) {
            return;
        }
        lastCommitNanos = System.nanoTime();
        commitInFlight = commit(pending).onComplete(done -> {
            commitInFlight = null;
            if (done.failed()) {
                // the offsets stay uncommitted: the next handled record or the next poll tries again
                LOG.warn("committing {} failed: {}", pending, done.cause().toString());
            }
            if (commitAgain) {
                commitAgain = false;
                commitHandled();
            }
        });
    }

    private Future<Void> commit(Map<TopicPartition, Long> pending) {
        if (pending.isEmpty()) {
            return Future.succeededFuture();
        }
        Map<io.vertx.kafka.client.common.TopicPartition, OffsetAndMetadata> request = new HashMap<>();
        pending.forEach((partition, next) -> request.put(
            new io.vertx.kafka.client.common.TopicPartition(partition.topic(), partition.partition()),
            new OffsetAndMetadata(next, "")));
        return consumer.commit(request).<Void>mapEmpty().onSuccess(v -> offsets.committed(pending));
    }

    private static Instant observedAt(ConsumerRecord<?, ?> record) {
        // records written without a timestamp (-1) are as new as their arrival
        return record.timestamp() >= 0 ? Instant.ofEpochMilli(record.timestamp()) : Instant.now();
    }

    private static void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("event source observer failed: {}", e.toString());
        }
    }

    private Map<String, String> consumerConfig(String clientId) {
        Map<String, String> config = new HashMap<>(clientConfig(clientId));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // a batch is handled before the next poll: keep it small enough to finish well within max.poll.interval.ms
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        // commits and offset look-ups give up after this while the broker is away, so polling goes on
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        return config;
    }

    private Map<String, String> producerConfig(String clientId) {
        Map<String, String> config = new HashMap<>(clientConfig(clientId));
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        // an oversized record must fit into its dead letter, headers included
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
            String.valueOf(Math.max(settings.maxEventBytes(), KafkaSettings.DEFAULT_MAX_EVENT_BYTES) + 64 * 1024));
        return config;
    }

    private Map<String, String> clientConfig(String clientId) {
        return Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
            ConsumerConfig.CLIENT_ID_CONFIG, clientId,
            ConsumerConfig.RECONNECT_BACKOFF_MS_CONFIG, "100",
            ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "2000");
    }
}
