package io.archscaler.kafka;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OffsetTrackerTest {
    static final TopicPartition P0 = new TopicPartition("pods", 0);
    static final TopicPartition P1 = new TopicPartition("pods", 1);

    private final OffsetTracker tracker = new OffsetTracker();

    @Test
    void theOffsetToCommitIsOnePastTheLastHandledRecord() {
        tracker.handled(P0, 0);
        tracker.handled(P0, 1);
        tracker.handled(P1, 7);

        assertThat(tracker.uncommitted()).isEqualTo(Map.of(P0, 2L, P1, 8L));
    }

    @Test
    void committedPartitionsAreNotCommittedAgainUntilMoreIsHandled() {
        tracker.handled(P0, 4);
        tracker.committed(tracker.uncommitted());

        assertThat(tracker.uncommitted()).isEmpty();

        tracker.handled(P0, 5);
        assertThat(tracker.uncommitted()).isEqualTo(Map.of(P0, 6L));
    }

    @Test
    void aRecordHandledAgainAfterARetryNeverMovesTheOffsetBack() {
        tracker.handled(P0, 9);
        tracker.handled(P0, 3);

        assertThat(tracker.uncommitted()).isEqualTo(Map.of(P0, 10L));
    }

    @Test
    void revokedPartitionsAreForgotten() {
        tracker.handled(P0, 1);
        tracker.handled(P1, 1);

        tracker.forget(List.of(P0));

        assertThat(tracker.uncommitted()).containsOnlyKeys(P1);
    }
}
