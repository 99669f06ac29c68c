package io.archscaler.fleet;

import io.archscaler.events.EventAddresses;
import io.archscaler.events.MetricSample;
import io.archscaler.events.PodEvent;
import io.archscaler.events.PodEventBatch;
import io.archscaler.kafka.DeadLetterHeaders;
import io.archscaler.kafka.EventDecodeException;
import io.archscaler.kafka.MetricEventDecoder;
import io.archscaler.kafka.PodEventDecoder;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The fleet replica's one Kafka consumer, on a thread of its own (a plain {@link KafkaConsumer}:
 * its rebalance listener runs inside {@code poll}, so blocking in it holds the rebalance until the
 * revoked clusters have stopped acting). It subscribes the pod and metric topics in the shared
 * group with the cooperative-sticky assignor; the clusters on its pod-event partitions are the
 * ones it acts for. It applies their pod events, writes records under the wrong key again under
 * their cluster's name, dead-letters what it cannot use, and commits offsets in Kafka transactions
 * together with those writes and with the scale-up intents of {@link ScaleUpFence} (KIP-447: a
 * transaction carrying a stale group generation is refused by the broker).
 */
public final class FleetConsumer implements ScaleUpFence, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FleetConsumer.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RESTART_DELAY = Duration.ofSeconds(10);
    private static final int FENCE_ATTEMPTS = 3;

    /** The clusters this consumer drives. */
    public interface Clusters {
        /** The names in the fleet config now. */
        Set<String> known();

        /** Starts acting for the cluster (connect, sync, read target sizes, plan); completes once it acts. */
        CompletableFuture<Void> start(String cluster, List<ScaleUpIntent> intents);

        /** Stops acting for the cluster; returns once it no longer acts and its cloud calls have answered. */
        void stop(String cluster);

        /** Whether the cluster acts on a config that has changed since it started (it is then started again). */
        boolean stale(String cluster);

        /** The event-bus addresses of a cluster acting here. */
        EventAddresses addresses(String cluster);
    }

    /** What the consumer reports: rebalances ({@code assigned|revoked|lost}), fenced scale-ups, owned clusters. */
    public interface Observer {
        void rebalance(String kind);

        void fenced(String cluster);

        void owned(int clusters);
    }

    private record FenceRequest(ScaleUpIntent intent, CompletableFuture<Void> done, int attempts) {
    }

    private final FleetSettings settings;
    private final FleetClients clients;
    private final Clusters clusters;
    private final Observer observer;
    private final Vertx vertx;
    private final PodEventDecoder podDecoder;
    private final MetricEventDecoder metricDecoder;
    private final Thread thread;
    private final ConcurrentLinkedQueue<FenceRequest> fenceRequests = new ConcurrentLinkedQueue<>();
    private volatile boolean closing;
    private volatile long lastPollMillis = System.currentTimeMillis();
    private volatile boolean knownChanged;
    /** Clusters of the owned partitions: starting, acting, or waiting to start again. */
    private volatile Set<String> owned = Set.of();
    private volatile Map<Integer, Set<String>> ownedPartitions = Map.of();
    private volatile int generation = -1;

    // consumer thread only below
    private KafkaConsumer<byte[], byte[]> consumer;
    private KafkaConsumer<byte[], byte[]> metricReader;
    private KafkaProducer<byte[], byte[]> producer;
    private int podPartitions;
    private int metricPartitions;
    private final Map<TopicPartition, Long> handled = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final Map<String, CompletableFuture<Void>> starts = new HashMap<>();
    private final Map<String, Long> retryAt = new HashMap<>();
    private final Set<TopicPartition> paused = new HashSet<>();
    private boolean txnOpen;
    private long lastCommitMillis;

    public FleetConsumer(FleetSettings settings, FleetClients clients, Clusters clusters, Observer observer, Vertx vertx) {
        this.settings = settings;
        this.clients = clients;
        this.clusters = clusters;
        this.observer = observer;
        this.vertx = vertx;
        this.podDecoder = new PodEventDecoder((int) settings.kafka().maxEventBytes());
        this.metricDecoder = new MetricEventDecoder((int) settings.kafka().maxEventBytes());
        this.thread = new Thread(this::run, "archscaler-fleet-consumer");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** The fleet config's clusters changed: start the new ones this replica owns, stop the removed ones. */
    public void clustersChanged() {
        knownChanged = true;
    }

    /** Owned partitions of the pod-events topic with their clusters. */
    public Map<Integer, Set<String>> ownedPartitions() {
        return ownedPartitions;
    }

    /** The consumer-group generation this replica last joined at. */
    public int generation() {
        return generation;
    }

    @Override
    public boolean owns(String cluster) {
        return owned.contains(cluster) && !pollStale();
    }

    @Override
    public CompletableFuture<Void> admit(String cluster, String nodeGroup, int delta, int targetSize) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!owns(cluster)) {
            observer.fenced(cluster);
            done.completeExceptionally(notOwned(cluster));
            return done;
        }
        fenceRequests.add(new FenceRequest(new ScaleUpIntent(cluster, nodeGroup, delta, targetSize,
                settings.replica(), generation, Instant.now()), done, 0));
        return done;
    }

    /** A replica that could not poll for a session timeout may have been replaced without knowing it. */
    private boolean pollStale() {
        return System.currentTimeMillis() - lastPollMillis > settings.sessionTimeout().toMillis();
    }

    private void run() {
        try {
            consumer = clients.groupConsumer(settings);
            metricReader = clients.metricReader(settings);
            producer = clients.transactionalProducer(settings);
            producer.initTransactions();
            podPartitions = consumer.partitionsFor(topics().podEvents()).size();
            metricPartitions = consumer.partitionsFor(topics().metricEvents()).size();
            consumer.subscribe(List.of(topics().podEvents(), topics().metricEvents()), new Listener());
            while (!closing) {
                loop();
            }
        } catch (RuntimeException e) {
            if (!closing) {
                LOG.error("fleet consumer stopped: {}", e.toString(), e);
            }
        } finally {
            try {
                commit();
            } catch (RuntimeException e) {
                LOG.warn("last commit failed: {}", e.toString());
            }
            stopAll();
            closeQuietly(consumer);
            closeQuietly(metricReader);
            closeQuietly(producer);
        }
    }

    private void loop() {
        try {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
            lastPollMillis = System.currentTimeMillis();
            generation = consumer.groupMetadata().generationId();
            if (knownChanged) {
                knownChanged = false;
                reconcile();
            }
            settleStarts();
            handle(records);
            readMetrics();
            fence();
            if (System.currentTimeMillis() - lastCommitMillis >= COMMIT_INTERVAL.toMillis()) {
                commit();
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // close() woke the poll
        } catch (KafkaException e) {
            LOG.warn("fleet consumer: {}; going on", e.toString());
            abort();
            sleep(500);
        }
    }

    // ---- records

    private void handle(ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> polled = records.records(tp);
            if (tp.topic().equals(topics().metricEvents())) {
                polled.forEach(this::routeMetric);
                handled.put(tp, polled.get(polled.size() - 1).offset() + 1);
                continue;
            }
            Map<String, List<ConsumerRecord<byte[], byte[]>>> byCluster = new LinkedHashMap<>();
            Map<String, List<PodEvent>> events = new LinkedHashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : polled) {
                PodEvent event;
                try {
                    event = podDecoder.decode(r.value(), observedAt(r));
                } catch (EventDecodeException e) {
                    deadLetter(r, e.getMessage());
                    continue;
                }
                switch (RecordRoute.of(r.key(), event.cluster(), r.partition(), podPartitions, clusters.known())) {
                    case APPLY -> {
                        byCluster.computeIfAbsent(event.cluster(), c -> new ArrayList<>()).add(r);
                        events.computeIfAbsent(event.cluster(), c -> new ArrayList<>()).add(event);
                    }
                    case REKEY -> rekey(r, event.cluster(), podPartitions);
                    case UNKNOWN_CLUSTER -> deadLetter(r, "cluster " + event.cluster() + " is not in this fleet's config");
                }
            }
            long firstFailed = apply(events, byCluster);
            if (firstFailed < 0) {
                handled.put(tp, polled.get(polled.size() - 1).offset() + 1);
            } else {
                // the events before it are done; it and those after it are read again (applying twice is harmless)
                if (firstFailed > polled.get(0).offset()) {
                    handled.put(tp, firstFailed);
                }
                consumer.seek(tp, firstFailed);
            }
        }
    }

    /** Hands each cluster its events and waits for every reply; the offset of the first record not applied, or -1. */
    private long apply(Map<String, List<PodEvent>> events, Map<String, List<ConsumerRecord<byte[], byte[]>>> records) {
        Map<String, CompletableFuture<Object>> replies = new LinkedHashMap<>();
        DeliveryOptions options = new DeliveryOptions().setSendTimeout(REQUEST_TIMEOUT.toMillis());
        events.forEach((cluster, list) -> {
            CompletableFuture<Object> reply = new CompletableFuture<>();
            if (owned.contains(cluster) && starts.containsKey(cluster) && starts.get(cluster).isDone()
                    && !starts.get(cluster).isCompletedExceptionally()) {
                vertx.eventBus().request(clusters.addresses(cluster).podBatches(), new PodEventBatch(list), options)
                        .onComplete(ar -> {
                            if (ar.succeeded()) {
                                reply.complete(null);
                            } else {
                                reply.completeExceptionally(ar.cause());
                            }
                        });
            } else {
                reply.completeExceptionally(new IllegalStateException("cluster " + cluster + " is not acting here"));
            }
            replies.put(cluster, reply);
        });
        long firstFailed = -1;
        for (Map.Entry<String, CompletableFuture<Object>> e : replies.entrySet()) {
            try {
                e.getValue().get(REQUEST_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (Exception failed) {
                long offset = records.get(e.getKey()).get(0).offset();
                LOG.warn("pod events of cluster {} from offset {} were not applied: {}", e.getKey(), offset, failed.toString());
                firstFailed = firstFailed < 0 ? offset : Math.min(firstFailed, offset);
            }
        }
        return firstFailed;
    }

    /** Metric samples keyed by their cluster are the owner's metric reader's; others are keyed again or dead-lettered. */
    private void routeMetric(ConsumerRecord<byte[], byte[]> r) {
        MetricSample sample;
        try {
            sample = metricDecoder.decode(r.value());
        } catch (EventDecodeException e) {
            deadLetter(r, e.getMessage());
            return;
        }
        switch (RecordRoute.of(r.key(), sample.cluster(), r.partition(), metricPartitions, clusters.known())) {
            case APPLY -> {
                // read by the owner's group-less metric reader
            }
            case REKEY -> rekey(r, sample.cluster(), metricPartitions);
            case UNKNOWN_CLUSTER -> deadLetter(r, "cluster " + sample.cluster() + " is not in this fleet's config");
        }
    }

    private void rekey(ConsumerRecord<byte[], byte[]> r, String cluster, int partitions) {
        beginIfNeeded();
        ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(r.topic(), FleetPartitions.partitionOf(cluster, partitions),
                r.timestamp() >= 0 ? r.timestamp() : null, cluster.getBytes(StandardCharsets.UTF_8), r.value(), r.headers());
        producer.send(out);
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> r, String reason) {
        LOG.warn("dead-lettering {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), reason);
        beginIfNeeded();
        ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(topics().deadLetter(), null, r.key(), r.value(), r.headers());
        out.headers().add(DeadLetterHeaders.REASON, reason.getBytes(StandardCharsets.UTF_8))
                .add(DeadLetterHeaders.SOURCE_TOPIC, r.topic().getBytes(StandardCharsets.UTF_8))
                .add(DeadLetterHeaders.SOURCE_PARTITION, String.valueOf(r.partition()).getBytes(StandardCharsets.UTF_8))
                .add(DeadLetterHeaders.SOURCE_OFFSET, String.valueOf(r.offset()).getBytes(StandardCharsets.UTF_8));
        producer.send(out);
    }

    /** Samples of the acting clusters, from the metric partitions their names hash to; never committed. */
    private void readMetrics() {
        if (metricReader.assignment().isEmpty()) {
            return;
        }
        for (ConsumerRecord<byte[], byte[]> r : metricReader.poll(Duration.ZERO)) {
            String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
            CompletableFuture<Void> started = starts.get(key);
            if (!owned.contains(key) || started == null || !started.isDone() || started.isCompletedExceptionally()) {
                continue;
            }
            try {
                vertx.eventBus().send(clusters.addresses(key).metrics(), metricDecoder.decode(r.value()));
            } catch (EventDecodeException e) {
                // the group consumer dead-letters it
            }
        }
    }

    private void assignMetricReader() {
        Set<TopicPartition> wanted = new HashSet<>();
        for (String c : owned) {
            wanted.add(new TopicPartition(topics().metricEvents(), FleetPartitions.partitionOf(c, metricPartitions)));
        }
        Set<TopicPartition> added = new HashSet<>(wanted);
        added.removeAll(metricReader.assignment());
        metricReader.assign(wanted);
        if (added.isEmpty()) {
            return;
        }
        // a new owner reads the recent samples again: the HPA forecast wants the latest value, not every one
        long since = System.currentTimeMillis() - settings.metricWindow().toMillis();
        Map<TopicPartition, Long> query = new HashMap<>();
        added.forEach(tp -> query.put(tp, since));
        Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndTimestamp> found = metricReader.offsetsForTimes(query);
        List<TopicPartition> toEnd = new ArrayList<>();
        for (TopicPartition tp : added) {
            var at = found.get(tp);
            if (at == null) {
                toEnd.add(tp);
            } else {
                metricReader.seek(tp, at.offset());
            }
        }
        if (!toEnd.isEmpty()) {
            metricReader.seekToEnd(toEnd);
        }
    }

    // ---- ownership

    private final class Listener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            try {
                commit();
            } catch (KafkaException e) {
                LOG.warn("committing before giving up {} failed: {}", partitions, e.toString());
                abort();
            }
            giveUp(partitions, "revoked");
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            // another replica may own them already: nothing of ours may be committed for them
            abort();
            giveUp(partitions, "lost");
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Map<Integer, Set<String>> byPartition = new HashMap<>(ownedPartitions);
            Map<Integer, Set<String>> all = FleetPartitions.byPartition(clusters.known(), podPartitions);
            Set<String> taken = new TreeSet<>();
            for (TopicPartition tp : partitions) {
                handled.put(tp, consumer.position(tp));
                committed.put(tp, handled.get(tp));
                if (tp.topic().equals(topics().podEvents())) {
                    Set<String> on = all.getOrDefault(tp.partition(), Set.of());
                    byPartition.put(tp.partition(), on);
                    taken.addAll(on);
                    paused.add(tp);
                }
            }
            consumer.pause(paused);
            ownedPartitions = Map.copyOf(byPartition);
            Set<String> now = new TreeSet<>(owned);
            now.addAll(taken);
            owned = Set.copyOf(now);
            Map<String, List<ScaleUpIntent>> intents = clients.readIntents(settings, taken);
            for (String c : taken) {
                starts.put(c, clusters.start(c, intents.getOrDefault(c, List.of())));
            }
            assignMetricReader();
            observer.rebalance("assigned");
            observer.owned(owned.size());
            LOG.info("assigned {}: now acting for {}", partitions, taken);
        }
    }

    /** Stops the clusters of revoked or lost partitions before the rebalance goes on. */
    private void giveUp(Collection<TopicPartition> partitions, String kind) {
        Map<Integer, Set<String>> byPartition = new HashMap<>(ownedPartitions);
        Set<String> leaving = new TreeSet<>();
        for (TopicPartition tp : partitions) {
            handled.remove(tp);
            committed.remove(tp);
            paused.remove(tp);
            if (tp.topic().equals(topics().podEvents())) {
                Set<String> on = byPartition.remove(tp.partition());
                if (on != null) {
                    leaving.addAll(on);
                }
            }
        }
        Set<String> now = new TreeSet<>(owned);
        now.removeAll(leaving);
        // from here the fence refuses them: no scale-up of theirs is committed by this replica again
        owned = Set.copyOf(now);
        ownedPartitions = Map.copyOf(byPartition);
        failFences(leaving);
        for (String c : leaving) {
            stopCluster(c);
        }
        assignMetricReader();
        observer.rebalance(kind);
        observer.owned(owned.size());
        LOG.info("{} {}: stopped acting for {}", kind, partitions, leaving);
    }

    private void stopCluster(String cluster) {
        CompletableFuture<Void> start = starts.remove(cluster);
        retryAt.remove(cluster);
        if (start != null) {
            try {
                // a start under way is let finish, so there is something to stop
                start.get(2, TimeUnit.MINUTES);
            } catch (Exception e) {
                // it did not start: stop cleans up what it did
            }
        }
        clusters.stop(cluster);
    }

    /** Resumes a partition once every cluster on it acts; a cluster that failed to start is tried again later. */
    private void settleStarts() {
        long now = System.currentTimeMillis();
        for (Map.Entry<String, CompletableFuture<Void>> e : new ArrayList<>(starts.entrySet())) {
            String c = e.getKey();
            if (e.getValue().isCompletedExceptionally() && !retryAt.containsKey(c)) {
                LOG.warn("cluster {} did not start; trying again in {}s", c, RESTART_DELAY.toSeconds());
                clusters.stop(c);
                retryAt.put(c, now + RESTART_DELAY.toMillis());
            } else if (retryAt.containsKey(c) && retryAt.get(c) <= now) {
                retryAt.remove(c);
                starts.put(c, clusters.start(c, clients.readIntents(settings, Set.of(c)).getOrDefault(c, List.of())));
            }
        }
        List<TopicPartition> ready = new ArrayList<>();
        for (TopicPartition tp : paused) {
            Set<String> on = ownedPartitions.getOrDefault(tp.partition(), Set.of());
            boolean all = on.stream().allMatch(c -> starts.containsKey(c) && starts.get(c).isDone()
                    && !starts.get(c).isCompletedExceptionally());
            if (all) {
                ready.add(tp);
            }
        }
        if (!ready.isEmpty()) {
            paused.removeAll(ready);
            consumer.resume(ready);
        }
    }

    /** The config's clusters changed: start new ones on owned partitions, stop removed ones. */
    private void reconcile() {
        Map<Integer, Set<String>> all = FleetPartitions.byPartition(clusters.known(), podPartitions);
        Map<Integer, Set<String>> byPartition = new HashMap<>();
        Set<String> now = new TreeSet<>();
        for (Integer p : ownedPartitions.keySet()) {
            Set<String> on = all.getOrDefault(p, Set.of());
            byPartition.put(p, on);
            now.addAll(on);
        }
        Set<String> removed = new TreeSet<>(owned);
        removed.removeAll(now);
        Set<String> added = new TreeSet<>(now);
        added.removeAll(owned);
        for (String c : now) {
            if (owned.contains(c) && clusters.stale(c)) {
                removed.add(c);
                added.add(c);
            }
        }
        owned = Set.copyOf(now);
        ownedPartitions = Map.copyOf(byPartition);
        failFences(removed);
        removed.forEach(this::stopCluster);
        Map<String, List<ScaleUpIntent>> intents = clients.readIntents(settings, added);
        for (String c : added) {
            starts.put(c, clusters.start(c, intents.getOrDefault(c, List.of())));
            TopicPartition tp = new TopicPartition(topics().podEvents(), FleetPartitions.partitionOf(c, podPartitions));
            paused.add(tp);
        }
        consumer.pause(paused);
        assignMetricReader();
        observer.owned(owned.size());
        if (!added.isEmpty() || !removed.isEmpty()) {
            LOG.info("fleet config changed: now acting also for {}, no more for {}", added, removed);
        }
    }

    // ---- transactions

    /**
     * Commits the scale-up intents waiting, with the offsets, under this replica's generation. An
     * intent whose transaction the broker refused is tried again after the next poll (a rebalance
     * that kept the cluster here also bumps the generation) and refused for good once the cluster
     * is gone or the attempts are used up.
     */
    private void fence() {
        List<FenceRequest> batch = new ArrayList<>();
        for (FenceRequest r; (r = fenceRequests.poll()) != null; ) {
            if (!owns(r.intent().cluster())) {
                refuse(r);
            } else {
                batch.add(r);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        int gen = consumer.groupMetadata().generationId();
        beginIfNeeded();
        for (FenceRequest r : batch) {
            ScaleUpIntent i = r.intent();
            ScaleUpIntent stamped = new ScaleUpIntent(i.cluster(), i.nodeGroup(), i.delta(), i.targetSize(), i.replica(),
                    gen, i.at());
            producer.send(new ProducerRecord<>(settings.scaleUpsTopic(), stamped.key().getBytes(StandardCharsets.UTF_8),
                    stamped.toJson().getBytes(StandardCharsets.UTF_8)));
        }
        try {
            commit();
            batch.forEach(r -> r.done().complete(null));
        } catch (KafkaException e) {
            LOG.warn("scale-up intents not committed at generation {}: {}", gen, e.toString());
            abort();
            for (FenceRequest r : batch) {
                if (r.attempts() + 1 < FENCE_ATTEMPTS) {
                    fenceRequests.add(new FenceRequest(r.intent(), r.done(), r.attempts() + 1));
                } else {
                    refuse(r);
                }
            }
        }
    }

    private void refuse(FenceRequest r) {
        LOG.warn("scale-up of {} in cluster {} refused: this replica no longer owns the cluster", r.intent().nodeGroup(),
                r.intent().cluster());
        observer.fenced(r.intent().cluster());
        r.done().completeExceptionally(notOwned(r.intent().cluster()));
    }

    private void failFences(Set<String> leaving) {
        List<FenceRequest> keep = new ArrayList<>();
        for (FenceRequest r; (r = fenceRequests.poll()) != null; ) {
            if (leaving.contains(r.intent().cluster())) {
                refuse(r);
            } else {
                keep.add(r);
            }
        }
        fenceRequests.addAll(keep);
    }

    private void beginIfNeeded() {
        if (!txnOpen) {
            producer.beginTransaction();
            txnOpen = true;
        }
    }

    /** Commits the open transaction with every owned partition's handled offset; throws when the broker refuses. */
    private void commit() {
        lastCommitMillis = System.currentTimeMillis();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Set<TopicPartition> assigned = consumer.assignment();
        handled.forEach((tp, next) -> {
            if (assigned.contains(tp)) {
                offsets.put(tp, new OffsetAndMetadata(next));
            }
        });
        boolean moved = offsets.entrySet().stream().anyMatch(e -> !Long.valueOf(e.getValue().offset()).equals(committed.get(e.getKey())));
        if (!txnOpen && !moved) {
            return;
        }
        beginIfNeeded();
        if (!offsets.isEmpty()) {
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
        }
        producer.commitTransaction();
        txnOpen = false;
        offsets.forEach((tp, o) -> committed.put(tp, o.offset()));
    }

    /** Drops the open transaction and reads again from the last committed offsets what it covered. */
    private void abort() {
        if (txnOpen) {
            try {
                producer.abortTransaction();
            } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException fatal) {
                closeQuietly(producer);
                producer = clients.transactionalProducer(settings);
                producer.initTransactions();
            } catch (KafkaException e) {
                LOG.warn("aborting the transaction failed: {}", e.toString());
            }
            txnOpen = false;
        }
        Set<TopicPartition> assigned = consumer.assignment();
        committed.forEach((tp, offset) -> {
            if (assigned.contains(tp) && !offset.equals(handled.get(tp))) {
                handled.put(tp, offset);
                consumer.seek(tp, offset);
            }
        });
    }

    private void stopAll() {
        owned = Set.of();
        failFences(new HashSet<>(starts.keySet()));
        for (String c : new ArrayList<>(starts.keySet())) {
            try {
                stopCluster(c);
            } catch (RuntimeException e) {
                LOG.warn("stopping cluster {}: {}", c, e.toString());
            }
        }
    }

    private io.archscaler.config.KafkaConfig.Topics topics() {
        return settings.kafka().topics();
    }

    private static FencedException notOwned(String cluster) {
        return new FencedException("fleet", "increaseSize", "cluster " + cluster
                + " is not surely this replica's (partition moved, or no poll within the session timeout); not called");
    }

    private static Instant observedAt(ConsumerRecord<?, ?> r) {
        return r.timestamp() >= 0 ? Instant.ofEpochMilli(r.timestamp()) : Instant.now();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("closing: {}", e.toString());
        }
    }

    /** Stops polling, commits what was handled, stops every cluster, leaves the group. */
    @Override
    public void close() {
        closing = true;
        if (consumer != null) {
            consumer.wakeup();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
