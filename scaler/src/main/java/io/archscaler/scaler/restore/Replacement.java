package io.archscaler.scaler.restore;

import io.archscaler.scaler.model.ScaleUp;

import java.util.List;

/**
 * One amd64 node to empty onto arm64: first grow the arm64 groups by {@code capacity.scaleUps()},
 * wait until those nodes are Ready, then drain the node (its pods by the Eviction API) and
 * remove it.
 */
public record Replacement(String node, String nodeGroup, RestoreReason reason, ArmCapacity capacity, Saving saving) {

    /**
     * Where the node's pods go.
     *
     * @param pods           every pod a drain of the node evicts ({@code namespace/name}, sorted)
     * @param scaleUps       the arm64 nodes this move adds, per group, their {@code from} counting
     *                       the nodes added by the moves before it in the same plan; each lists
     *                       the pods planned onto them
     * @param onExistingRoom the pods that need no node of this move's own: free room on
     *                       registered or in-flight arm64 nodes, or on nodes already added for
     *                       pending pods or an earlier move
     */
    public record ArmCapacity(List<String> pods, List<ScaleUp> scaleUps, List<String> onExistingRoom) {
        public ArmCapacity {
            pods = List.copyOf(pods);
            scaleUps = List.copyOf(scaleUps);
            onExistingRoom = List.copyOf(onExistingRoom);
        }

        /** How many arm64 nodes the move adds. */
        public int newNodes() {
            return scaleUps.stream().mapToInt(ScaleUp::delta).sum();
        }
    }

    /**
     * What the move saves per hour: the node's price less the price of the nodes it adds (room
     * that already exists costs nothing).
     */
    public record Saving(double nodePricePerHour, double addedPricePerHour) {
        public double perHour() {
            return nodePricePerHour - addedPricePerHour;
        }
    }

    public double savingPerHour() {
        return saving.perHour();
    }
}
