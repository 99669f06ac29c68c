package io.archscaler.scaler.interruption;

import java.time.Duration;
import java.time.Instant;

/**
 * What to do about one instance an interruption message names, given what the cluster knows of
 * its node. Pure: the SQS reader and the Kubernetes calls carry the answer out.
 * <ul>
 *   <li>a spot warning, an AWS Health scheduled change, and a rebalance recommendation under
 *       {@code rebalance: act}, for a node of a managed group: replace it (taint, cordon, plan its pods,
 *       drain); a spot warning past its two-minute notice finds the instance gone: clean up instead;</li>
 *   <li>a rebalance recommendation under {@code rebalance: record}: an Event and a count;</li>
 *   <li>a state change to stopping, stopped, shutting-down or terminated: the node is gone, clean up;</li>
 *   <li>a node already being replaced: nothing more (a redelivery, or a second message about it);</li>
 *   <li>an instance no node runs, or a node no managed group owns: acknowledged and counted.</li>
 * </ul>
 */
public final class InterruptionPolicy {
    /** How long after a spot interruption warning EC2 reclaims the instance. */
    public static final Duration SPOT_NOTICE = Duration.ofMinutes(2);

    /** What the cluster knows of the node running the instance. */
    public enum NodeStatus {
        /** No node has the instance in its {@code spec.providerID}. */
        NONE,
        /** A node in no managed node group. */
        UNMANAGED,
        /** A node of a managed node group. */
        MANAGED,
        /** A node of a managed group already tainted and being replaced for an earlier message. */
        BEING_REPLACED
    }

    /** What to do with the node. */
    public enum Action {
        /** Taint and cordon it, plan and ask for its pods' capacity, drain it. */
        REPLACE,
        /** Record an Event on it and count. */
        RECORD,
        /** Delete the Node object: the instance is gone or going. */
        CLEAN_UP,
        /** Nothing but the count. */
        ACKNOWLEDGE
    }

    /** The action, and the outcome it is counted as when it succeeds. */
    public record Verdict(Action action, InterruptionOutcome outcome) {
    }

    private final RebalanceMode rebalance;

    public InterruptionPolicy(RebalanceMode rebalance) {
        this.rebalance = rebalance;
    }

    /** The verdict for one instance of a notice of {@code kind} sent at {@code sent}, decided at {@code now}. */
    public Verdict decide(InterruptionKind kind, Instant sent, NodeStatus node, Instant now) {
        if (kind == InterruptionKind.MALFORMED) {
            return ack(InterruptionOutcome.MALFORMED);
        }
        if (kind == InterruptionKind.OTHER) {
            return ack(InterruptionOutcome.IGNORED);
        }
        if (node == NodeStatus.NONE) {
            return ack(InterruptionOutcome.UNKNOWN_INSTANCE);
        }
        if (node == NodeStatus.UNMANAGED) {
            return ack(InterruptionOutcome.UNMANAGED);
        }
        if (kind == InterruptionKind.STATE_CHANGE) {
            // a node being replaced whose instance stops is gone all the same
            return new Verdict(Action.CLEAN_UP, InterruptionOutcome.CLEANED_UP);
        }
        if (node == NodeStatus.BEING_REPLACED) {
            return ack(InterruptionOutcome.DUPLICATE);
        }
        return switch (kind) {
            case SPOT_INTERRUPTION -> now.isAfter(sent.plus(SPOT_NOTICE))
                    ? new Verdict(Action.CLEAN_UP, InterruptionOutcome.LATE)
                    : new Verdict(Action.REPLACE, InterruptionOutcome.REPLACED);
            case SCHEDULED_CHANGE -> new Verdict(Action.REPLACE, InterruptionOutcome.REPLACED);
            case REBALANCE_RECOMMENDATION -> rebalance == RebalanceMode.ACT
                    ? new Verdict(Action.REPLACE, InterruptionOutcome.REPLACED)
                    : new Verdict(Action.RECORD, InterruptionOutcome.RECORDED);
            default -> throw new IllegalStateException("unhandled kind " + kind);
        };
    }

    private static Verdict ack(InterruptionOutcome outcome) {
        return new Verdict(Action.ACKNOWLEDGE, outcome);
    }
}
