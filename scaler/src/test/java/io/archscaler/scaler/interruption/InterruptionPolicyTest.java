package io.archscaler.scaler.interruption;

import io.archscaler.scaler.interruption.InterruptionPolicy.Action;
import io.archscaler.scaler.interruption.InterruptionPolicy.NodeStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class InterruptionPolicyTest {
    private static final Instant SENT = Instant.parse("2026-11-22T10:00:00Z");

    @ParameterizedTest(name = "{0} for a {1} node, {2}s after, rebalance {3}: {4} ({5})")
    @CsvSource(textBlock = """
            # kind,                  node,           age s, rebalance, action,      outcome
            SPOT_INTERRUPTION,        MANAGED,        5,     RECORD,    REPLACE,     REPLACED
            SPOT_INTERRUPTION,        MANAGED,        120,   RECORD,    REPLACE,     REPLACED
            SPOT_INTERRUPTION,        MANAGED,        121,   RECORD,    CLEAN_UP,    LATE
            SPOT_INTERRUPTION,        BEING_REPLACED, 5,     RECORD,    ACKNOWLEDGE, DUPLICATE
            SPOT_INTERRUPTION,        NONE,           5,     RECORD,    ACKNOWLEDGE, UNKNOWN_INSTANCE
            SPOT_INTERRUPTION,        UNMANAGED,      5,     RECORD,    ACKNOWLEDGE, UNMANAGED
            SCHEDULED_CHANGE,         MANAGED,        3600,  RECORD,    REPLACE,     REPLACED
            SCHEDULED_CHANGE,         BEING_REPLACED, 5,     RECORD,    ACKNOWLEDGE, DUPLICATE
            SCHEDULED_CHANGE,         NONE,           5,     RECORD,    ACKNOWLEDGE, UNKNOWN_INSTANCE
            REBALANCE_RECOMMENDATION, MANAGED,        5,     RECORD,    RECORD,      RECORDED
            REBALANCE_RECOMMENDATION, MANAGED,        5,     ACT,       REPLACE,     REPLACED
            REBALANCE_RECOMMENDATION, MANAGED,        600,   ACT,       REPLACE,     REPLACED
            REBALANCE_RECOMMENDATION, BEING_REPLACED, 5,     ACT,       ACKNOWLEDGE, DUPLICATE
            REBALANCE_RECOMMENDATION, BEING_REPLACED, 5,     RECORD,    ACKNOWLEDGE, DUPLICATE
            REBALANCE_RECOMMENDATION, UNMANAGED,      5,     ACT,       ACKNOWLEDGE, UNMANAGED
            STATE_CHANGE,             MANAGED,        5,     RECORD,    CLEAN_UP,    CLEANED_UP
            STATE_CHANGE,             BEING_REPLACED, 5,     RECORD,    CLEAN_UP,    CLEANED_UP
            STATE_CHANGE,             NONE,           5,     RECORD,    ACKNOWLEDGE, UNKNOWN_INSTANCE
            STATE_CHANGE,             UNMANAGED,      5,     RECORD,    ACKNOWLEDGE, UNMANAGED
            OTHER,                    MANAGED,        5,     ACT,       ACKNOWLEDGE, IGNORED
            OTHER,                    NONE,           5,     ACT,       ACKNOWLEDGE, IGNORED
            MALFORMED,                NONE,           5,     ACT,       ACKNOWLEDGE, MALFORMED
            """)
    void decidesByKindNodeAgeAndRebalanceMode(InterruptionKind kind, NodeStatus node, long ageSeconds,
                                              RebalanceMode rebalance, Action action, InterruptionOutcome outcome) {
        InterruptionPolicy.Verdict v = new InterruptionPolicy(rebalance).decide(kind, SENT, node,
                SENT.plusSeconds(ageSeconds));

        assertThat(v).isEqualTo(new InterruptionPolicy.Verdict(action, outcome));
    }

    @ParameterizedTest
    @CsvSource({"REPLACED, true", "DRAIN_FAILED, true", "UNKNOWN_INSTANCE, true", "MALFORMED, true", "FAILED, false"})
    void onlyAFailedHandlingKeepsTheMessage(InterruptionOutcome outcome, boolean settled) {
        assertThat(outcome.settled()).isEqualTo(settled);
    }
}
