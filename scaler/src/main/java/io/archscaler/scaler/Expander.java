package io.archscaler.scaler;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.ClusterSnapshot;
import io.archscaler.scaler.model.NodeGroup;

import java.util.Comparator;
import java.util.Optional;

/**
 * Chooses among node groups that fit a class of pods: first narrows down (groups in backoff,
 * with an open circuit or at maxSize are skipped), then ranks by weight, price per pod, arch
 * (arm64 first) and name.
 */
public final class Expander {
    /** A group that fits a class of pods, and how many of them one new node holds. */
    public record Option(NodeGroup group, Arch arch, long podsPerNode) {
        /** The price of one pod's share of a node; unknown prices rank after every known one. */
        public double pricePerPod() {
            double price = group.pricePerHour();
            return price > 0 && podsPerNode > 0 ? price / podsPerNode : Double.POSITIVE_INFINITY;
        }
    }

    /** Best first: weight, then price per pod, then arm64 before amd64, then name. */
    public static final Comparator<Option> RANKING = Comparator
            .comparingInt((Option o) -> o.group().weight()).reversed()
            .thenComparingDouble(Option::pricePerPod)
            .thenComparingInt(o -> o.arch() == Arch.ARM64 ? 0 : 1)
            .thenComparing(o -> o.group().name());

    private Expander() {
    }

    /** Why the group takes no new nodes at all in this snapshot, or empty. */
    public static Optional<String> skipped(NodeGroup group, ClusterSnapshot snapshot) {
        if (snapshot.circuitOpen().contains(group.name())) {
            return Optional.of("circuit open");
        }
        if (snapshot.backedOff().contains(group.name())) {
            return Optional.of("in backoff");
        }
        if (group.targetSize() >= group.maxSize()) {
            return Optional.of("at maxSize " + group.maxSize());
        }
        return Optional.empty();
    }
}
