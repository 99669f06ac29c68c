package io.archscaler.scaler.restore;

/**
 * What the controller does next with a move toward arm64, and with a node it finds marked as
 * moving when it takes over: the rules of a move's life, apart from the loop that carries them out.
 * Pure.
 */
public final class MoveSteps {
    private MoveSteps() {
    }

    /** The next step of a move whose node is cordoned and whose arm64 capacity was asked for. */
    public enum Next {
        /** The arm64 nodes are on their way: nothing to do yet. */
        WAIT,
        /** The arm64 capacity is Ready: drain the node and remove it. */
        DRAIN,
        /** The arm64 capacity will not come: uncordon the node, evict nothing. */
        UNDO
    }

    /**
     * The next step of a waiting move.
     *
     * @param capacityFailed a scale-up of the move was refused, or its nodes were given up on (failed
     *                       after being accepted, or did not register within maxNodeProvisionTime)
     * @param inFlight       arm64 nodes of the move's groups still on their way
     * @param deadlinePassed maxNodeProvisionTime has passed since the capacity was asked for
     */
    public static Next next(boolean capacityFailed, int inFlight, boolean deadlinePassed) {
        if (capacityFailed) {
            return Next.UNDO;
        }
        if (inFlight <= 0) {
            return Next.DRAIN;
        }
        return deadlinePassed ? Next.UNDO : Next.WAIT;
    }

    /** What a new leader does with a node marked as moving to arm64. */
    public enum Recovery {
        /** Nothing: not marked, or the move is this controller's own and under way. */
        NONE,
        /** Its drain had started: scale-down's recovery of interrupted drains finishes or undoes it. */
        LEAVE_TO_SCALE_DOWN,
        /** Its arm64 capacity was being waited for by a controller that stopped: uncordon it, evict nothing. */
        UNDO
    }

    /**
     * @param marked       the node carries the move mark
     * @param drainTainted the node carries the to-be-deleted taint of a drain
     * @param owned        a move of this controller is under way on the node
     */
    public static Recovery recover(boolean marked, boolean drainTainted, boolean owned) {
        if (!marked || owned) {
            return Recovery.NONE;
        }
        return drainTainted ? Recovery.LEAVE_TO_SCALE_DOWN : Recovery.UNDO;
    }
}
