package io.archscaler.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads a consumer group's committed offsets of one topic over and over, every 5 ms, from its own
 * thread, and keeps each reading: when the controller applied each event, seen from outside.
 */
final class CommitPoller {
    private final Admin admin;
    private final String group;
    private final String topic;
    private final List<PipelineRound.CommitSnapshot> snapshots = Collections.synchronizedList(new ArrayList<>());
    private volatile Map<Integer, Long> latest = Map.of();
    private volatile boolean running = true;
    private Thread thread;

    CommitPoller(Admin admin, String group, String topic) {
        this.admin = admin;
        this.group = group;
        this.topic = topic;
    }

    void start() {
        thread = new Thread(this::loop, "bench-commit-poller");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            try {
                Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
                long now = System.nanoTime();
                Map<Integer, Long> committed = new HashMap<>();
                offsets.forEach((tp, om) -> {
                    if (tp.topic().equals(topic) && om != null) {
                        committed.put(tp.partition(), om.offset());
                    }
                });
                snapshots.add(new PipelineRound.CommitSnapshot(now, committed));
                latest = committed;
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            } catch (ExecutionException | TimeoutException e) {
                // the group may not exist yet: try again
            }
        }
    }

    /** Waits until a reading shows every partition committed past {@code last}. */
    void awaitCommitted(Map<Integer, Long> last, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (System.nanoTime() < deadline) {
            Map<Integer, Long> c = latest;
            if (last.entrySet().stream().allMatch(e -> c.getOrDefault(e.getKey(), -1L) > e.getValue())) {
                return;
            }
            Thread.sleep(5);
        }
    }

    List<PipelineRound.CommitSnapshot> snapshots() {
        synchronized (snapshots) {
            return List.copyOf(snapshots);
        }
    }

    void stop() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(10_000);
    }
}
