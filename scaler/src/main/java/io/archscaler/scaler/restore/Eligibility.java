package io.archscaler.scaler.restore;

import io.archscaler.scaler.ArchResolver;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.scaledown.BoundPod;
import io.archscaler.scaler.scaledown.DisruptionBudget;
import io.archscaler.scaler.scaledown.NodeWithPods;
import io.archscaler.scaler.scaledown.PodRules;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Whether an amd64 node's pods may all move to arm64 by the node's and pods' own rules, before
 * room, saving and budget are looked at: every scale-down rule, and every pod able to run on arm64.
 */
final class Eligibility {
    /** A node whose pods may all move; {@code pods} excludes DaemonSet and mirror pods. */
    record Candidate(NodeWithPods node, NodeGroup group, List<BoundPod> pods) {
        String name() {
            return node.name();
        }

        List<String> keys() {
            return pods.stream().map(BoundPod::key).sorted().toList();
        }

        List<PendingPod> pending() {
            return pods.stream().map(BoundPod::pod).toList();
        }
    }

    /** Either a candidate or why the node stays. */
    record Verdict(Candidate candidate, Kept kept) {
    }

    private final List<DisruptionBudget> budgets;
    private final UnknownImages unknownImages;
    private final MoveHistory moves;
    private final Instant undoneSince;

    Eligibility(List<DisruptionBudget> budgets, RestoreRules rules, MoveHistory moves, Instant now) {
        this.budgets = budgets;
        this.unknownImages = rules.unknownImages();
        this.moves = moves;
        this.undoneSince = now.minus(rules.budget().interval());
    }

    Verdict check(NodeWithPods n, NodeGroup group) {
        String name = n.name();
        if (group == null) {
            return kept(n, null, KeptReason.NOT_AUTOSCALED, "not in a managed node group");
        }
        if (!n.node().ready()) {
            return kept(n, group, KeptReason.NOT_READY, "node is not ready");
        }
        if (n.node().unschedulable()) {
            return kept(n, group, KeptReason.CORDONED, "node is cordoned by someone else");
        }
        PodRules.Blocked annotated = PodRules.checkNode(n);
        if (annotated != null) {
            return kept(n, group, KeptReason.of(annotated.reason()), annotated.detail());
        }
        List<BoundPod> pods = n.pods().stream().filter(p -> !p.staysWithNode()).toList();
        if (pods.isEmpty()) {
            return kept(n, group, KeptReason.EMPTY, "no pod to move: scale-down removes empty nodes");
        }
        Verdict arch = archOf(n, group, pods);
        if (arch != null) {
            return arch;
        }
        PodRules.Blocked blocked = PodRules.checkPods(pods, budgets);
        if (blocked != null) {
            return kept(n, group, KeptReason.of(blocked.reason()), blocked.detail());
        }
        if (moves.undoneSince(name, undoneSince)) {
            return kept(n, group, KeptReason.RECENTLY_UNDONE, "a move of this node was undone since "
                    + undoneSince + "; it is tried again after restore.interval");
        }
        return new Verdict(new Candidate(n, group, pods), null);
    }

    /** Why some pod cannot go to arm64, or null when all can. */
    private Verdict archOf(NodeWithPods n, NodeGroup group, List<BoundPod> pods) {
        for (BoundPod p : pods) {
            PendingPod pod = p.pod();
            if (pod.imageArchs() == null && unknownImages == UnknownImages.ASSUME_AMD64) {
                return kept(n, group, KeptReason.UNKNOWN_IMAGES, "pod " + p.key()
                        + ": its images' platforms are unknown and images.onUnknown is assume-amd64");
            }
            Set<Arch> allowed = ArchResolver.allowed(pod);
            if (!allowed.contains(Arch.ARM64)) {
                String why = allowed.isEmpty() ? ArchResolver.whyEmpty(pod) : "it may run only on " + allowed;
                return kept(n, group, KeptReason.NEEDS_AMD64, "pod " + p.key() + ": " + why);
            }
        }
        return null;
    }

    private static Verdict kept(NodeWithPods n, NodeGroup group, KeptReason reason, String detail) {
        return new Verdict(null, new Kept(n.name(), group == null ? null : group.name(), reason, detail));
    }
}
