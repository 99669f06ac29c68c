package io.archscaler.cli;

import io.archscaler.config.ArchscalerConfig;
import io.archscaler.config.RestoreConfig;
import io.archscaler.scaler.model.ClusterSnapshot;
import io.archscaler.scaler.model.Node;
import io.archscaler.scaler.model.ScaleDown;
import io.archscaler.scaler.model.Taint;
import io.archscaler.scaler.model.TaintEffect;
import io.archscaler.scaler.restore.MoveHistory;
import io.archscaler.scaler.restore.RestoreInput;
import io.archscaler.scaler.restore.RestorePlan;
import io.archscaler.scaler.restore.RestorePlanner;
import io.archscaler.scaler.restore.RestoreRules;
import io.archscaler.scaler.scaledown.NodeWithPods;
import io.archscaler.scaler.scaledown.ScaleDownAnnotations;
import io.archscaler.scaler.scaledown.ScaleDownInput;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * For {@code plan}: the moves toward arm64 the restore planner would start on a snapshot, with no
 * move in progress or in the history (a state file has none), after the scale-downs of the same
 * plan, whose nodes count as being drained.
 */
final class PlanRestores {
    private PlanRestores() {
    }

    static RestorePlan plan(ArchscalerConfig cfg, ClusterSnapshot snapshot, ScaleDownInput workloads,
                            List<ScaleDown> scaleDowns, Instant now) {
        RestoreRules rules = RestoreConfig.rules(cfg);
        RestoreInput in = new RestoreInput(snapshot, draining(workloads, scaleDowns), Set.of(), MoveHistory.NONE, now);
        return new RestorePlanner(rules).plan(in);
    }

    /** The nodes scale-down removes carry the drain taint, as they will once their drain starts. */
    private static ScaleDownInput draining(ScaleDownInput in, List<ScaleDown> scaleDowns) {
        Set<String> removed = scaleDowns.stream().map(ScaleDown::node).collect(Collectors.toSet());
        List<NodeWithPods> nodes = new ArrayList<>(in.nodes().size());
        for (NodeWithPods n : in.nodes()) {
            nodes.add(removed.contains(n.name()) ? new NodeWithPods(tainted(n.node()), n.annotations(), n.pods()) : n);
        }
        return new ScaleDownInput(in.nodeGroups(), nodes, in.budgets(), in.lastScaleUp(), in.failedScaleDowns());
    }

    private static Node tainted(Node n) {
        List<Taint> taints = new ArrayList<>(n.taints());
        taints.add(new Taint(ScaleDownAnnotations.TO_BE_DELETED_TAINT, "plan", TaintEffect.NO_SCHEDULE));
        return new Node(n.name(), n.nodeGroup(), n.arch(), n.allocatable(), n.requested(), n.labels(), taints, true,
                n.ready(), n.created());
    }
}
