package io.archscaler.scaler.restore;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The steps of a move toward arm64, one row per case. */
class MoveStepsTest {
    @ParameterizedTest(name = "capacity failed {0}, {1} in flight, deadline passed {2}: {3}")
    @CsvSource({
            "false, 2, false, WAIT",
            "false, 1, false, WAIT",
            "false, 0, false, DRAIN",
            // Ready at the last moment still drains: the capacity came
            "false, 0, true,  DRAIN",
            "false, 1, true,  UNDO",
            "true,  0, false, UNDO",
            "true,  2, false, UNDO",
            "true,  0, true,  UNDO",
    })
    void aWaitingMoveDrainsOnlyOnceItsCapacityIsReadyAndUndoesWhenItWillNotCome(boolean failed, int inFlight,
                                                                                 boolean deadlinePassed,
                                                                                 MoveSteps.Next expected) {
        assertThat(MoveSteps.next(failed, inFlight, deadlinePassed)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "marked {0}, drain taint {1}, owned {2}: {3}")
    @CsvSource({
            "false, false, false, NONE",
            "false, true,  false, NONE",
            "true,  false, true,  NONE",
            "true,  true,  true,  NONE",
            "true,  false, false, UNDO",
            "true,  true,  false, LEAVE_TO_SCALE_DOWN",
    })
    void aNewLeaderUndoesAMoveWithNoLiveOwnerUnlessItsDrainHadStarted(boolean marked, boolean drainTainted,
                                                                      boolean owned, MoveSteps.Recovery expected) {
        assertThat(MoveSteps.recover(marked, drainTainted, owned)).isEqualTo(expected);
    }
}
