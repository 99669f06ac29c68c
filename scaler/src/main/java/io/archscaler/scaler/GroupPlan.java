package io.archscaler.scaler;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.ClusterSnapshot;
import io.archscaler.scaler.model.Fallback;
import io.archscaler.scaler.model.FallbackCause;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.Resources;
import io.archscaler.scaler.model.ScaleUp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One node group while a plan is made: its template as the pods see it (arch labels filled in,
 * DaemonSet requests reserved), its in-flight nodes, and the new nodes planned so far.
 */
final class GroupPlan {
    final NodeGroup group;
    final Arch arch;
    final Map<String, String> labels;
    /** The template's allocatable: what limits count. */
    final Resources allocatable;
    /** Allocatable minus the DaemonSet reservation: what pods can use. */
    final Resources usable;
    /** One empty new node, as a bin. */
    final Bin empty;
    /** Why it takes no new nodes at all (backoff, circuit open, at maxSize), or null. */
    final FallbackCause skipped;
    final BinList inFlight;
    final BinList newNodes = new BinList();
    private final long headroom;
    private long planned;
    private final List<String> pods = new ArrayList<>();
    private final TreeSet<String> fallbackReasons = new TreeSet<>();
    private FallbackCause fallbackCause;
    private String noRoomReason;
    private FallbackCause noRoomCause;

    GroupPlan(NodeGroup group, ClusterSnapshot snapshot, ResourceIndex index) {
        this.group = group;
        this.arch = Labels.archOf(group);
        boolean hasTemplate = group.template() != null;
        this.labels = hasTemplate ? Labels.withArch(group.template().labels(), arch) : Map.of();
        this.allocatable = Labels.allocatableOf(group.template());
        this.usable = allocatable.minus(DaemonSetReservation.forGroup(snapshot.daemonSets(), group));
        this.empty = index.bin(usable, 1);
        this.skipped = Expander.skipCause(group, snapshot).orElse(null);
        this.inFlight = BinList.of(index.bin(usable, inFlightRoom(group, snapshot)));
        this.headroom = Math.max(0, (long) group.maxSize() - group.targetSize());
    }

    /**
     * The in-flight nodes pods may be planned onto: none for a group in backoff or whose circuit
     * is open, since its last scale-up failed and the nodes it still counts may never come; its
     * pods flow to the next group at once instead of waiting for them.
     */
    static int inFlightRoom(NodeGroup group, ClusterSnapshot snapshot) {
        if (snapshot.backedOff().contains(group.name()) || snapshot.circuitOpen().contains(group.name())) {
            return 0;
        }
        return inFlightCount(group, snapshot);
    }

    static int inFlightCount(NodeGroup group, ClusterSnapshot snapshot) {
        return Math.max(0, snapshot.inFlightNodes().getOrDefault(group.name(), 0));
    }

    String name() {
        return group.name();
    }

    /** New nodes the group itself still allows (maxSize). */
    long headroomLeft() {
        return headroom - planned;
    }

    void opened(long nodes) {
        planned += nodes;
    }

    void assign(List<String> podKeys) {
        pods.addAll(podKeys);
    }

    /** Takes pods that could run on arm64, for these reasons (one per arm64 group passed over) and this cause. */
    void fallback(Iterable<String> reasons, FallbackCause cause) {
        reasons.forEach(fallbackReasons::add);
        fallbackCause = FallbackCause.strongest(fallbackCause, cause);
    }

    /** Whether maxSize and the cluster limits still allow one more node. */
    boolean canOpen(ClusterBudget budget) {
        return skipped == null && headroomLeft() > 0 && budget.room(allocatable) > 0;
    }

    /**
     * "name why" for a group that cannot open another node. A group that ran out stays out
     * (headroom and limits only shrink while a plan is made), so the text is built once.
     */
    String noRoomReason(ClusterBudget budget) {
        settleNoRoom(budget);
        return noRoomReason == null ? name() + " has no room left" : noRoomReason;
    }

    /** {@link #noRoomReason} typed: {@code NO_FIT} while the group could still open a node. */
    FallbackCause noRoomCause(ClusterBudget budget) {
        settleNoRoom(budget);
        return noRoomCause == null ? FallbackCause.NO_FIT : noRoomCause;
    }

    private void settleNoRoom(ClusterBudget budget) {
        if (noRoomReason != null) {
            return;
        }
        if (skipped != null || headroomLeft() <= 0) {
            noRoomCause = skipped != null ? skipped : FallbackCause.MAX_SIZE;
            noRoomReason = name() + " " + Expander.why(noRoomCause, group);
            return;
        }
        String limit = budget.whyNoRoom(allocatable);
        if (limit != null) {
            noRoomCause = FallbackCause.CLUSTER_LIMIT;
            noRoomReason = name() + " blocked: " + limit;
        }
    }

    /** The scale-up this group's planned nodes amount to, or null when none were planned. */
    ScaleUp toScaleUp() {
        if (planned == 0) {
            return null;
        }
        List<String> sorted = new ArrayList<>(pods);
        sorted.sort(null);
        return new ScaleUp(group.name(), arch, group.targetSize(), (int) (group.targetSize() + planned), sorted,
                fallbackReasons.isEmpty() ? null : new Fallback(fallbackCause, String.join("; ", fallbackReasons)),
                group.capacityType());
    }
}
