package io.archscaler.scaler.restore;

import io.archscaler.scaler.ArchResolver;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.Node;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.NodeTemplate;
import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.model.ScaleUp;
import io.archscaler.scaler.model.Unschedulable;
import io.archscaler.scaler.scaledown.BoundPod;
import io.archscaler.scaler.scaledown.DisruptionLedger;
import io.archscaler.scaler.scaledown.NodeWithPods;
import io.archscaler.scaler.scaledown.PodRules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which amd64 nodes to empty onto arm64 now, and with what arm64 capacity. A node qualifies when
 * every pod on it may be evicted (scale-down's rules, {@code do-not-disrupt}, PodDisruptionBudgets)
 * and may run on arm64 ({@code images.onUnknown} deciding unknown images); its pods are then
 * planned as pending, arm64-only, by the scale-up planner: free room first, then new nodes of
 * trusted arm64 groups (not in backoff, circuit closed), within maxSize and the cluster limits.
 * A {@link RestoreReason#RESTORE} is a node whose pods the groups' ranking puts on arm64 anyway;
 * a {@link RestoreReason#REPLACE} needs {@code consolidate} and a saving. Moves are taken best
 * first (restores, then the larger saving), each planned on top of the ones before it so no room
 * is booked twice, within the budget. Pure and deterministic.
 */
public final class RestorePlanner {
    private final RestoreRules rules;

    public RestorePlanner(RestoreRules rules) {
        this.rules = rules;
    }

    /** A candidate whose pods have room on arm64 on their own, with the saving that would make. */
    private record Option(Eligibility.Candidate candidate, RestoreReason reason, double savingAlone) {
    }

    public RestorePlan plan(RestoreInput in) {
        Map<String, NodeGroup> groups = new HashMap<>();
        in.snapshot().nodeGroups().forEach(g -> groups.put(g.name(), g));
        List<NodeWithPods> nodes = new ArrayList<>(in.workloads().nodes());
        nodes.sort(Comparator.comparing(NodeWithPods::name));
        Eligibility eligibility = new Eligibility(in.workloads().budgets(), rules, in.moves(), in.now());
        List<Kept> kept = new ArrayList<>();
        List<Eligibility.Candidate> candidates = new ArrayList<>();
        List<PendingPod> basePods = new ArrayList<>(in.snapshot().pendingPods());
        for (NodeWithPods n : nodes) {
            boolean moving = in.moves().inProgress().contains(n.name());
            if (moving || n.beingDeleted()) {
                basePods.addAll(drainingPods(n, moving));
            } else if (archOf(n.node()) == Arch.AMD64) {
                Eligibility.Verdict v = eligibility.check(n, groupOf(n, groups));
                if (v.candidate() != null) {
                    candidates.add(v.candidate());
                } else {
                    kept.add(v.kept());
                }
            }
        }
        List<Replacement> replacements = List.of();
        if (!candidates.isEmpty()) {
            Set<String> cordoned = new HashSet<>();
            candidates.forEach(c -> cordoned.add(c.name()));
            ArmPlans plans = new ArmPlans(in.snapshot(), in.circuitHalfOpen(), cordoned, basePods);
            List<Option> options = options(candidates, plans, kept);
            replacements = new Selection(in, plans, groups).select(options, kept);
        }
        kept.sort(Comparator.comparing(Kept::node));
        return new RestorePlan(replacements, kept);
    }

    /**
     * Pods of a node being drained still need room; those of a move in progress go to arm64,
     * where their capacity was asked for.
     */
    private static List<PendingPod> drainingPods(NodeWithPods n, boolean moving) {
        List<PendingPod> out = new ArrayList<>();
        for (BoundPod p : n.pods()) {
            if (!p.staysWithNode()) {
                boolean arm = moving && ArchResolver.allowed(p.pod()).contains(Arch.ARM64);
                out.add(arm ? ArmPlans.onArm64(p.pod()) : p.pod());
            }
        }
        return out;
    }

    /** Each candidate alone: its reason, whether arm64 has room for it, and what that would save. */
    private List<Option> options(List<Eligibility.Candidate> candidates, ArmPlans plans, List<Kept> kept) {
        ArmPlans.Placement base = plans.place(List.of());
        List<Option> options = new ArrayList<>();
        for (Eligibility.Candidate c : candidates) {
            RestoreReason reason = plans.rankedOnArm64(c.pending()) ? RestoreReason.RESTORE : RestoreReason.REPLACE;
            if (reason == RestoreReason.REPLACE && !rules.replace()) {
                kept.add(kept(c, KeptReason.AMD64_PREFERRED, "the node groups' ranking keeps its pods on amd64;"
                        + " scaleDown.consolidate would replace it if arm64 costs less"));
                continue;
            }
            ArmPlans.Placement alone = plans.place(movers(c));
            Optional<Kept> noRoom = noRoom(c, alone);
            if (noRoom.isPresent()) {
                kept.add(noRoom.get());
                continue;
            }
            double saving = plans.pricePerHour(c.group().name()) - addedPrice(plans, base, alone);
            Optional<Kept> small = tooSmall(c, reason, saving);
            if (small.isPresent()) {
                kept.add(small.get());
                continue;
            }
            options.add(new Option(c, reason, saving));
        }
        options.sort(Comparator.comparing((Option o) -> o.reason() != RestoreReason.RESTORE)
                .thenComparing(Comparator.comparingDouble(Option::savingAlone).reversed())
                .thenComparing(o -> o.candidate().name()));
        return options;
    }

    private static List<PendingPod> movers(Eligibility.Candidate c) {
        return c.pods().stream().map(p -> ArmPlans.onArm64(p.pod())).toList();
    }

    private static Optional<Kept> noRoom(Eligibility.Candidate c, ArmPlans.Placement placement) {
        Optional<Unschedulable> stuck = placement.unschedulable(new HashSet<>(c.keys()));
        return stuck.map(u -> kept(c, KeptReason.NO_ARM64_ROOM, "pod " + u.pod() + ": " + u.reason()));
    }

    private Optional<Kept> tooSmall(Eligibility.Candidate c, RestoreReason reason, double saving) {
        double min = rules.budget().minSavingPerHour();
        if (saving < min) {
            return Optional.of(kept(c, KeptReason.SAVING_TOO_SMALL, "moving would save " + money(saving)
                    + "/h, less than restore.minSavingPerHour " + money(min)));
        }
        if (reason == RestoreReason.REPLACE && saving <= 0) {
            return Optional.of(kept(c, KeptReason.SAVING_TOO_SMALL, "replacing it would save nothing ("
                    + money(saving) + "/h)"));
        }
        return Optional.empty();
    }

    /** The price of the nodes {@code after} adds to {@code before}. */
    private static double addedPrice(ArmPlans plans, ArmPlans.Placement before, ArmPlans.Placement after) {
        double price = 0;
        Map<String, Integer> was = before.newNodes();
        for (Map.Entry<String, Integer> e : after.newNodes().entrySet()) {
            price += Math.max(0, e.getValue() - was.getOrDefault(e.getKey(), 0)) * plans.pricePerHour(e.getKey());
        }
        return price;
    }

    static String money(double perHour) {
        return String.format(Locale.ROOT, "$%.4f", perHour);
    }

    private static Kept kept(Eligibility.Candidate c, KeptReason reason, String detail) {
        return new Kept(c.name(), c.group().name(), reason, detail);
    }

    private static NodeGroup groupOf(NodeWithPods n, Map<String, NodeGroup> groups) {
        return n.node().nodeGroup() == null ? null : groups.get(n.node().nodeGroup());
    }

    private static Arch archOf(Node node) {
        return node.arch() != null ? node.arch()
                : Arch.fromLabel(node.labels().get(NodeTemplate.ARCH_LABEL)).orElse(null);
    }

    /** Takes the options in order while the budget, minSize and the PodDisruptionBudgets allow. */
    private final class Selection {
        private final RestoreInput in;
        private final ArmPlans plans;
        private final Map<String, NodeGroup> groups;
        private final DisruptionLedger ledger;
        private final Map<String, Integer> leaving = new HashMap<>();
        private final Map<String, Integer> added = new HashMap<>();
        private final List<PendingPod> accepted = new ArrayList<>();
        private final Set<String> acceptedKeys = new HashSet<>();
        private ArmPlans.Placement current;

        Selection(RestoreInput in, ArmPlans plans, Map<String, NodeGroup> groups) {
            this.in = in;
            this.plans = plans;
            this.groups = groups;
            this.ledger = new DisruptionLedger(in.workloads().budgets());
            for (String node : in.moves().inProgress()) {
                in.snapshot().nodes().stream().filter(n -> n.name().equals(node) && n.nodeGroup() != null)
                        .forEach(n -> leaving.merge(n.nodeGroup(), 1, Integer::sum));
            }
            this.current = plans.place(List.of());
        }

        List<Replacement> select(List<Option> options, List<Kept> kept) {
            RestoreBudget budget = rules.budget();
            int atOnce = budget.maxNodes() - in.moves().inProgress().size();
            int inInterval = budget.perInterval() - in.moves().startedSince(in.now().minus(budget.interval()));
            List<Replacement> out = new ArrayList<>();
            for (Option o : options) {
                Eligibility.Candidate c = o.candidate();
                if (out.size() >= atOnce || out.size() >= inInterval) {
                    kept.add(kept(c, KeptReason.BUDGET_REACHED, budgetDetail(out.size() >= atOnce, o)));
                    continue;
                }
                Taken taken = take(o);
                if (taken.kept() != null) {
                    kept.add(taken.kept());
                } else {
                    out.add(taken.replacement());
                }
            }
            return out;
        }

        private String budgetDetail(boolean atOnce, Option o) {
            RestoreBudget b = rules.budget();
            String limit = atOnce ? "restore.maxNodes " + b.maxNodes() + " nodes moving at once"
                    : "restore.perInterval " + b.perInterval() + " moves per " + b.interval();
            return limit + " reached; moving it would save " + money(o.savingAlone()) + "/h";
        }

        /** The move, taken on top of the ones before it, or why it cannot be. */
        private record Taken(Replacement replacement, Kept kept) {
            Taken(Kept kept) {
                this(null, kept);
            }
        }

        private Taken take(Option o) {
            Eligibility.Candidate c = o.candidate();
            NodeGroup g = c.group();
            int gone = leaving.getOrDefault(g.name(), 0);
            if (g.targetSize() - gone - 1 < g.minSize()) {
                return new Taken(kept(c, KeptReason.MIN_SIZE_REACHED, "node group " + g.name()
                        + " would go below its minSize " + g.minSize()));
            }
            PodRules.Blocked pdb = ledger.check(c.pods());
            if (pdb != null) {
                return new Taken(kept(c, KeptReason.of(pdb.reason()), pdb.detail()));
            }
            List<PendingPod> together = new ArrayList<>(accepted);
            together.addAll(movers(c));
            ArmPlans.Placement next = plans.place(together);
            Set<String> keys = new HashSet<>(acceptedKeys);
            keys.addAll(c.keys());
            Optional<Kept> noRoom = noRoom(c, next).or(() -> next.unschedulable(keys).map(u ->
                    kept(c, KeptReason.NO_ARM64_ROOM, "with the moves before it, pod " + u.pod() + ": " + u.reason())));
            if (noRoom.isPresent()) {
                return new Taken(noRoom.get());
            }
            double saving = plans.pricePerHour(g.name()) - addedPrice(plans, current, next);
            Optional<Kept> small = tooSmall(c, o.reason(), saving);
            if (small.isPresent()) {
                return new Taken(small.get());
            }
            ledger.draw(c.pods());
            leaving.merge(g.name(), 1, Integer::sum);
            accepted.addAll(movers(c));
            acceptedKeys.addAll(c.keys());
            Replacement r = replacement(o, next, saving);
            current = next;
            return new Taken(r, null);
        }

        /** The move: the nodes {@code next} adds to the current plan, with the pods planned onto them. */
        private Replacement replacement(Option o, ArmPlans.Placement next, double saving) {
            Eligibility.Candidate c = o.candidate();
            Set<String> keys = new HashSet<>(c.keys());
            Map<String, Integer> was = current.newNodes();
            List<ScaleUp> ups = new ArrayList<>();
            Set<String> onNew = new HashSet<>();
            for (Map.Entry<String, Integer> e : new TreeMap<>(next.newNodes()).entrySet()) {
                int delta = e.getValue() - was.getOrDefault(e.getKey(), 0);
                if (delta <= 0) {
                    continue;
                }
                ScaleUp all = next.scaleUp(e.getKey()).orElseThrow();
                List<String> pods = all.pods().stream().filter(keys::contains).sorted().toList();
                onNew.addAll(pods);
                int from = groups.get(e.getKey()).targetSize() + added.getOrDefault(e.getKey(), 0);
                added.merge(e.getKey(), delta, Integer::sum);
                ups.add(new ScaleUp(e.getKey(), all.arch(), from, from + delta, pods, null,
                        groups.get(e.getKey()).capacityType()));
            }
            List<String> existing = c.keys().stream().filter(k -> !onNew.contains(k)).toList();
            double nodePrice = plans.pricePerHour(c.group().name());
            return new Replacement(c.name(), c.group().name(), o.reason(),
                    new Replacement.ArmCapacity(c.keys(), ups, existing),
                    new Replacement.Saving(nodePrice, nodePrice - saving));
        }
    }
}
