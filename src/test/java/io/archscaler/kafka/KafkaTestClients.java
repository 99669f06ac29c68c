package io.archscaler.kafka;

import io.archscaler.events.PodEvent;
import io.vertx.core.Future;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Plain kafka-clients producer, reader and admin calls the broker-backed tests share (the event
 * source's and the Kafka fault tests).
 */
public final class KafkaTestClients implements AutoCloseable {
    private final String bootstrapServers;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Admin admin;
    private final PodEventEncoder encoder = new PodEventEncoder();

    public KafkaTestClients(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        // rides out a broker outage: records wait in the producer and go out, once each, when it is back; it keeps
        // the topic's metadata meanwhile (no rebootstrap), so a send during the outage is held instead of blocking
        this.producer = new KafkaProducer<>(Map.of(
                CommonClientConfigs.METADATA_RECOVERY_STRATEGY_CONFIG, "none",
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(4 << 20),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000",
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000",
                ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000"),
                new ByteArraySerializer(), new ByteArraySerializer());
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** Sends the event as the product's producers encode it, without waiting for the broker. */
    public java.util.concurrent.Future<RecordMetadata> send(String topic, PodEvent event) {
        return send(topic, PodEventEncoder.key(event), encoder.encode(event));
    }

    /** Sends without waiting for the broker: the record waits in the producer through an outage. */
    public java.util.concurrent.Future<RecordMetadata> send(String topic, String key, byte[] value) {
        return producer.send(new ProducerRecord<>(topic, key == null ? null : utf8(key), value));
    }

    /** Sends and waits until the broker has it. */
    public RecordMetadata sendAndWait(String topic, String key, byte[] value) throws Exception {
        return send(topic, key, value).get(30, TimeUnit.SECONDS);
    }

    public RecordMetadata sendAndWait(ProducerRecord<byte[], byte[]> record) throws Exception {
        return producer.send(record).get(30, TimeUnit.SECONDS);
    }

    /** Connections the producer holds to the broker: none once it has seen the broker go away. */
    public double connections() {
        return producer.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals("producer-metrics") && e.getKey().name().equals("connection-count"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }

    /** Creates a one-partition topic with topic-level configs such as {@code max.message.bytes}. */
    public void createTopic(String topic, Map<String, String> configs) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(configs))).all().get(30, TimeUnit.SECONDS);
    }

    /** Reads {@code topic} from the start until {@code count} records came; fails after 30 s with fewer. */
    public List<ConsumerRecord<byte[], byte[]>> read(String topic, int count) {
        List<ConsumerRecord<byte[], byte[]>> records = read(topic, count, Duration.ofSeconds(30));
        if (records.size() < count) {
            throw new AssertionError("only " + records.size() + " of " + count + " records on " + topic + " within 30 s");
        }
        return records;
    }

    /** Every record of {@code topic} from the start, read until {@code count} came or {@code atMost} passed. */
    public List<ConsumerRecord<byte[], byte[]>> read(String topic, int count, Duration atMost) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                // the dead letters keep oversized originals
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(8 << 20)),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + atMost.toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** The group's committed offset of partition 0 of {@code topic}, -1 when none. */
    public long committed(String group, String topic) throws Exception {
        return committed(group, topic, 0);
    }

    /** The group's committed offset of one partition of {@code topic}, -1 when none. */
    public long committed(String group, String topic, int partition) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        OffsetAndMetadata offset = offsets.get(new TopicPartition(topic, partition));
        return offset == null ? -1 : offset.offset();
    }

    public static <T> T join(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The last value of the header, null when the record has none. */
    public static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
        admin.close(Duration.ofSeconds(5));
    }
}
