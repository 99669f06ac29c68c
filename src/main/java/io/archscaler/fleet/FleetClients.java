package io.archscaler.fleet;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Makes the fleet replica's Kafka clients, and reads the scale-up intents of clusters it takes over. */
public final class FleetClients {
    private static final Logger LOG = LoggerFactory.getLogger(FleetClients.class);

    /** The group consumer of the pod and metric topics: cooperative-sticky, read-committed, offsets committed in transactions. */
    KafkaConsumer<byte[], byte[]> groupConsumer(FleetSettings s) {
        Properties p = common(s, "archscaler-fleet-" + s.replica());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, s.kafka().groupId());
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, String.valueOf(s.sessionTimeout().toMillis()));
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, String.valueOf(Math.max(500, s.sessionTimeout().toMillis() / 4)));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The group-less reader of the owned clusters' metric partitions. */
    KafkaConsumer<byte[], byte[]> metricReader(FleetSettings s) {
        return new KafkaConsumer<>(common(s, "archscaler-fleet-metrics-" + s.replica()), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    /**
     * The transactional producer: its transactions are short (a commit interval), so their timeout
     * is the session timeout, and an open one of a killed replica holds read-committed readers back
     * no longer than its partitions take to move.
     */
    KafkaProducer<byte[], byte[]> transactionalProducer(FleetSettings s) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, s.kafka().bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "archscaler-fleet-txn-" + s.replica());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "archscaler-fleet-" + s.replica());
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, String.valueOf(s.sessionTimeout().toMillis()));
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(s.kafka().maxEventBytes() + 64 * 1024));
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The latest committed scale-up intent of every node group of {@code clusters}, read from the compacted topic. */
    Map<String, List<ScaleUpIntent>> readIntents(FleetSettings s, Collection<String> clusters) {
        Map<String, List<ScaleUpIntent>> out = new HashMap<>();
        if (clusters.isEmpty()) {
            return out;
        }
        Map<String, ScaleUpIntent> latest = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(common(s, "archscaler-fleet-intents-" + s.replica()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            reader.partitionsFor(s.scaleUpsTopic(), Duration.ofSeconds(10))
                    .forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = reader.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + 10_000;
            while (partitions.stream().anyMatch(tp -> reader.position(tp) < end.get(tp)) && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(200))) {
                    try {
                        ScaleUpIntent i = ScaleUpIntent.fromJson(new String(r.value(), StandardCharsets.UTF_8));
                        if (clusters.contains(i.cluster())) {
                            latest.put(i.key(), i);
                        }
                    } catch (IllegalArgumentException | NullPointerException e) {
                        LOG.warn("{}-{}@{} is not a scale-up intent: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
                    }
                }
            }
        } catch (RuntimeException e) {
            // the intents inform, they do not decide: the cloud's target sizes are what the new owner plans from
            LOG.warn("reading scale-up intents from {} failed: {}", s.scaleUpsTopic(), e.toString());
        }
        latest.values().forEach(i -> out.computeIfAbsent(i.cluster(), c -> new ArrayList<>()).add(i));
        return out;
    }

    private static Properties common(FleetSettings s, String clientId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, s.kafka().bootstrapServers());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.RECONNECT_BACKOFF_MS_CONFIG, "100");
        p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "2000");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        return p;
    }
}
