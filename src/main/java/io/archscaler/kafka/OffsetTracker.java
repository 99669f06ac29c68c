package io.archscaler.kafka;

import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Per partition, the offset to commit (one past the last handled record) and the offset last
 * committed. Records of a partition are handled in order and handling stops at the first failure,
 * so the handled offset always closes a run of handled records with no gap.
 */
final class OffsetTracker {
    private final Map<TopicPartition, Long> handled = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();

    /** The record at {@code offset} was handled, and so were all before it. */
    void handled(TopicPartition partition, long offset) {
        handled.merge(partition, offset + 1, Math::max);
    }

    /** Offsets handled but not yet committed. */
    Map<TopicPartition, Long> uncommitted() {
        Map<TopicPartition, Long> pending = new HashMap<>();
        handled.forEach((partition, next) -> {
            if (next > committed.getOrDefault(partition, -1L)) {
                pending.put(partition, next);
            }
        });
        return pending;
    }

    void committed(Map<TopicPartition, Long> offsets) {
        offsets.forEach((partition, next) -> committed.merge(partition, next, Math::max));
    }

    /** The partitions went to another consumer: what this one knew of them is stale. */
    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(partition -> {
            handled.remove(partition);
            committed.remove(partition);
        });
    }
}
