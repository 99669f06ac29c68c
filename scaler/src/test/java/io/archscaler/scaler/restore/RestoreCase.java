package io.archscaler.scaler.restore;

import io.archscaler.scaler.Fixtures;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.ClusterLimits;
import io.archscaler.scaler.model.ClusterSnapshot;
import io.archscaler.scaler.model.Node;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.scaledown.DisruptionBudget;
import io.archscaler.scaler.scaledown.NodeWithPods;
import io.archscaler.scaler.scaledown.ScaleDownFixtures;
import io.archscaler.scaler.scaledown.ScaleDownInput;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A cluster for restore tests: an arm64 group {@code arm} (2 CPU, 8Gi, $0.077/h, weight 100) and an
 * amd64 group {@code x86} (2 CPU, 8Gi, $0.096/h, weight 10), both 0..10 nodes, each at the size of
 * its registered nodes unless told otherwise; the nodes and pods as built.
 */
final class RestoreCase {
    static final Instant NOW = ScaleDownFixtures.T0;
    static final double ARM_PRICE = 0.077;
    static final double X86_PRICE = 0.096;

    private final Map<String, Fixtures.GroupBuilder> groups = new LinkedHashMap<>();
    private final Map<String, Integer> targets = new LinkedHashMap<>();
    private final List<NodeWithPods> nodes = new ArrayList<>();
    private final List<DisruptionBudget> budgets = new ArrayList<>();
    private final List<PendingPod> pending = new ArrayList<>();
    private final List<PendingPod> daemonSets = new ArrayList<>();
    private final Set<String> backedOff = new HashSet<>();
    private final Set<String> offeringOut = new HashSet<>();
    private final Set<String> circuitOpen = new HashSet<>();
    private final Set<String> halfOpen = new HashSet<>();
    private final Set<String> inProgress = new HashSet<>();
    private final List<MoveHistory.Move> recent = new ArrayList<>();
    private ClusterLimits limits = ClusterLimits.NONE;
    private boolean replace;
    private UnknownImages unknownImages = UnknownImages.ASSUME_MULTIARCH;
    private RestoreBudget budget = RestoreBudget.DEFAULTS;

    RestoreCase() {
        groups.put("arm", Fixtures.group("arm", Arch.ARM64).price(ARM_PRICE));
        groups.put("x86", Fixtures.group("x86", Arch.AMD64).price(X86_PRICE));
    }

    /** Changes a group's builder (weight, price, sizes); sizes given here win over the node count. */
    RestoreCase group(String name, java.util.function.UnaryOperator<Fixtures.GroupBuilder> change) {
        groups.put(name, change.apply(groups.get(name)));
        return this;
    }

    RestoreCase addGroup(Fixtures.GroupBuilder g, String name) {
        groups.put(name, g);
        return this;
    }

    RestoreCase target(String group, int size) {
        targets.put(group, size);
        return this;
    }

    RestoreCase nodes(ScaleDownFixtures.NodeBuilder... more) {
        for (ScaleDownFixtures.NodeBuilder b : more) {
            nodes.add(b.build());
        }
        return this;
    }

    RestoreCase budget(DisruptionBudget b) {
        budgets.add(b);
        return this;
    }

    RestoreCase pending(PendingPod p) {
        pending.add(p);
        return this;
    }

    RestoreCase daemonSet(PendingPod ds) {
        daemonSets.add(ds);
        return this;
    }

    RestoreCase backedOff(String group) {
        backedOff.add(group);
        return this;
    }

    /** The group's offering is marked out after a capacity error (its backoff may be over). */
    RestoreCase offeringOut(String group) {
        offeringOut.add(group);
        return this;
    }

    RestoreCase circuitOpen(String group) {
        circuitOpen.add(group);
        return this;
    }

    RestoreCase halfOpen(String group) {
        halfOpen.add(group);
        return this;
    }

    RestoreCase moving(String node) {
        inProgress.add(node);
        return this;
    }

    RestoreCase moved(String node, Duration ago, boolean undone) {
        recent.add(new MoveHistory.Move(node, NOW.minus(ago), undone));
        return this;
    }

    RestoreCase limits(ClusterLimits l) {
        limits = l;
        return this;
    }

    RestoreCase replace() {
        replace = true;
        return this;
    }

    RestoreCase unknownImages(UnknownImages u) {
        unknownImages = u;
        return this;
    }

    RestoreCase restoreBudget(RestoreBudget b) {
        budget = b;
        return this;
    }

    RestoreInput input() {
        List<NodeGroup> built = new ArrayList<>();
        for (Map.Entry<String, Fixtures.GroupBuilder> e : groups.entrySet()) {
            NodeGroup g = e.getValue().build();
            long registered = nodes.stream().filter(n -> e.getKey().equals(n.node().nodeGroup())).count();
            int target = targets.getOrDefault(e.getKey(), Math.max(g.targetSize(), (int) registered));
            built.add(g.withTargetSize(target));
        }
        List<Node> plain = nodes.stream().map(NodeWithPods::node).toList();
        ClusterSnapshot snapshot = new ClusterSnapshot(built, plain, pending, daemonSets, Map.of(), backedOff,
                circuitOpen, limits, offeringOut);
        ScaleDownInput workloads = new ScaleDownInput(built, nodes, budgets, Map.of(), Map.of());
        return new RestoreInput(snapshot, workloads, halfOpen, new MoveHistory(inProgress, recent), NOW);
    }

    RestorePlan plan() {
        return new RestorePlanner(new RestoreRules(replace, unknownImages, budget)).plan(input());
    }
}
