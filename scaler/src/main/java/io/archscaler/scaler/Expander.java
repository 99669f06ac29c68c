package io.archscaler.scaler;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.ClusterSnapshot;
import io.archscaler.scaler.model.FallbackCause;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.Offering;

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
            return Expander.pricePerPod(group, podsPerNode);
        }
    }

    /** Best first: weight, then price per pod, then arm64 before amd64, then name. */
    public static final Comparator<Option> RANKING = Expander::compare;

    private Expander() {
    }

    private static int compare(Option a, Option b) {
        return compare(a.group(), a.arch(), a.podsPerNode(), b.group(), b.arch(), b.podsPerNode());
    }

    /** {@link #RANKING} without building options: negative when group a ranks before group b. */
    static int compare(NodeGroup a, Arch archA, long podsA, NodeGroup b, Arch archB, long podsB) {
        int c = Integer.compare(b.weight(), a.weight());
        if (c == 0) {
            c = Double.compare(pricePerPod(a, podsA), pricePerPod(b, podsB));
        }
        if (c == 0) {
            c = Integer.compare(archOrder(archA), archOrder(archB));
        }
        return c != 0 ? c : a.name().compareTo(b.name());
    }

    private static double pricePerPod(NodeGroup group, long podsPerNode) {
        double price = group.pricePerHour();
        return price > 0 && podsPerNode > 0 ? price / podsPerNode : Double.POSITIVE_INFINITY;
    }

    private static int archOrder(Arch arch) {
        return arch == Arch.ARM64 ? 0 : 1;
    }

    /** Why the group takes no new nodes at all in this snapshot, or empty. */
    public static Optional<String> skipped(NodeGroup group, ClusterSnapshot snapshot) {
        return skipCause(group, snapshot).map(cause -> why(cause, group));
    }

    /** The words for a group skipped for this cause. */
    static String why(FallbackCause skipped, NodeGroup group) {
        return switch (skipped) {
            case CIRCUIT_OPEN -> "circuit open";
            case BACKOFF -> "in backoff";
            case OFFERING_UNAVAILABLE -> "offering " + Offering.of(group)
                    + " unavailable after a capacity error";
            default -> "at maxSize " + group.maxSize();
        };
    }

    /**
     * Why the group takes no new nodes at all in this snapshot, typed: circuit open, backoff,
     * offering unavailable or maxSize; or empty.
     */
    public static Optional<FallbackCause> skipCause(NodeGroup group, ClusterSnapshot snapshot) {
        if (snapshot.circuitOpen().contains(group.name())) {
            return Optional.of(FallbackCause.CIRCUIT_OPEN);
        }
        if (snapshot.backedOff().contains(group.name())) {
            return Optional.of(FallbackCause.BACKOFF);
        }
        if (snapshot.offeringOut().contains(group.name())) {
            return Optional.of(FallbackCause.OFFERING_UNAVAILABLE);
        }
        if (group.targetSize() >= group.maxSize()) {
            return Optional.of(FallbackCause.MAX_SIZE);
        }
        return Optional.empty();
    }
}
