package io.archscaler.scaler.scaledown;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.testing.MutableClock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.archscaler.scaler.scaledown.ScaleDownAnnotations.DO_NOT_DISRUPT;
import static io.archscaler.scaler.scaledown.ScaleDownAnnotations.SAFE_TO_EVICT;
import static io.archscaler.scaler.scaledown.ScaleDownAnnotations.SAFE_TO_EVICT_LOCAL_VOLUMES;
import static io.archscaler.scaler.scaledown.ScaleDownAnnotations.SCALE_DOWN_DISABLED;
import static io.archscaler.scaler.scaledown.ScaleDownFixtures.T0;
import static io.archscaler.scaler.scaledown.ScaleDownFixtures.budget;
import static io.archscaler.scaler.scaledown.ScaleDownFixtures.group;
import static io.archscaler.scaler.scaledown.ScaleDownFixtures.node;
import static io.archscaler.scaler.scaledown.ScaleDownFixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * One row per rule: node {@code arm-1} is either removed (and how) or kept (and why). {@code arm-2}
 * is busy (60% cpu) with 800m free, so a single pod of arm-1 can move there.
 */
class ScaleDownRulesTableTest {
    private static final Duration UNNEEDED = Duration.ofMinutes(10);
    private static final ScaleDownRules RULES = new ScaleDownRules(0.5, UNNEEDED, Duration.ofMinutes(10),
            Duration.ofMinutes(3), false, 1);

    static Stream<Arguments> removed() {
        return Stream.of(
                arguments("a node with no pods is removed as empty", subject(), Removal.Kind.EMPTY),
                arguments("DaemonSet and mirror pods neither count nor block, even bare or with local storage",
                        subject(pod("agent").daemonSet().cpu("1500m").localVolume("logs", "hostPath"),
                                pod("static-proxy").bare().annotation(ScaleDownAnnotations.MIRROR, "abc")),
                        Removal.Kind.EMPTY),
                arguments("an underutilized node whose replicated pod fits elsewhere is removed",
                        subject(pod("web-1")), Removal.Kind.UNDERUTILIZED),
                arguments("DaemonSet requests do not count towards utilization",
                        subject(pod("agent").daemonSet().cpu("900m"), pod("web-1")), Removal.Kind.UNDERUTILIZED),
                arguments("safe-to-evict true lets a bare pod go",
                        subject(pod("job").bare().annotation(SAFE_TO_EVICT, "true")), Removal.Kind.UNDERUTILIZED),
                arguments("safe-to-evict true lets a pod with local storage go",
                        subject(pod("cache").localVolume("scratch", "emptyDir").annotation(SAFE_TO_EVICT, "true")),
                        Removal.Kind.UNDERUTILIZED),
                arguments("an emptyDir listed in safe-to-evict-local-volumes does not block",
                        subject(pod("cache").localVolume("scratch", "emptyDir")
                                .annotation(SAFE_TO_EVICT_LOCAL_VOLUMES, "other, scratch")), Removal.Kind.UNDERUTILIZED),
                arguments("a kube-system pod covered by a PDB that allows a disruption may go",
                        subject(pod("coredns-1").namespace("kube-system").label("k8s-app", "kube-dns"))
                                .budget(budget("kube-system", "coredns", Map.of("k8s-app", "kube-dns"), 1)),
                        Removal.Kind.UNDERUTILIZED),
                arguments("a PDB that selects other pods does not block",
                        subject(pod("web-1")).budget(budget("default", "db", Map.of("app", "db"), 0)),
                        Removal.Kind.UNDERUTILIZED),
                arguments("a PDB in another namespace does not block",
                        subject(pod("web-1")).budget(budget("other", "web", Map.of("app", "web"), 0)),
                        Removal.Kind.UNDERUTILIZED),
                arguments("do-not-disrupt other than \"true\" does not block, as Karpenter reads it",
                        subject(pod("web-1").annotation(DO_NOT_DISRUPT, "false")), Removal.Kind.UNDERUTILIZED),
                arguments("a cordoned node may still be removed",
                        new Case(node("arm-1", "arm", Arch.ARM64).cordoned().pods(pod("web-1"))),
                        Removal.Kind.UNDERUTILIZED));
    }

    static Stream<Arguments> kept() {
        return Stream.of(
                arguments("above the utilization threshold",
                        subject(pod("web-1").cpu("1100m")), UnremovableReason.NOT_UNDERUTILIZED),
                arguments("memory counts: the larger ratio decides",
                        subject(pod("web-1").cpu("100m").memory("5Gi")), UnremovableReason.NOT_UNDERUTILIZED),
                arguments("safe-to-evict false", subject(pod("web-1").annotation(SAFE_TO_EVICT, "false")),
                        UnremovableReason.NOT_SAFE_TO_EVICT),
                arguments("a bare pod without a controller", subject(pod("debug").bare()),
                        UnremovableReason.NOT_REPLICATED),
                arguments("a kube-system pod without a PDB",
                        subject(pod("metrics-server-1").namespace("kube-system")), UnremovableReason.KUBE_SYSTEM_POD),
                arguments("an emptyDir on disk", subject(pod("cache").localVolume("scratch", "emptyDir")),
                        UnremovableReason.LOCAL_STORAGE),
                arguments("a hostPath volume", subject(pod("collector").localVolume("varlog", "hostPath")),
                        UnremovableReason.LOCAL_STORAGE),
                arguments("a PDB that allows no disruption",
                        subject(pod("web-1")).budget(budget("default", "web", Map.of("app", "web"), 0)),
                        UnremovableReason.NOT_ENOUGH_PDB),
                arguments("a PDB that allows fewer disruptions than the node's pods need",
                        subject(pod("web-1").cpu("200m"), pod("web-2").cpu("200m"))
                                .budget(budget("default", "web", Map.of("app", "web"), 1)),
                        UnremovableReason.NOT_ENOUGH_PDB),
                arguments("safe-to-evict true does not override a PDB",
                        subject(pod("web-1").annotation(SAFE_TO_EVICT, "true"))
                                .budget(budget("default", "web", Map.of("app", "web"), 0)),
                        UnremovableReason.NOT_ENOUGH_PDB),
                arguments("a pod annotated karpenter.sh/do-not-disrupt true",
                        subject(pod("web-1").annotation(DO_NOT_DISRUPT, "true")), UnremovableReason.DO_NOT_DISRUPT),
                arguments("do-not-disrupt wins over safe-to-evict true",
                        subject(pod("job").bare().annotation(SAFE_TO_EVICT, "true").annotation(DO_NOT_DISRUPT, "true")),
                        UnremovableReason.DO_NOT_DISRUPT),
                arguments("the node is annotated karpenter.sh/do-not-disrupt true",
                        new Case(node("arm-1", "arm", Arch.ARM64).annotation(DO_NOT_DISRUPT, "true")),
                        UnremovableReason.DO_NOT_DISRUPT),
                arguments("the node is annotated scale-down-disabled",
                        new Case(node("arm-1", "arm", Arch.ARM64).annotation(SCALE_DOWN_DISABLED, "true")),
                        UnremovableReason.SCALE_DOWN_DISABLED),
                arguments("no other node has room for its pods",
                        subject(pod("web-1").cpu("900m")), UnremovableReason.NO_PLACE_TO_MOVE_PODS),
                arguments("its pod is pinned to this node",
                        subject(pod("web-1").nodeSelector("kubernetes.io/hostname", "arm-1")),
                        UnremovableReason.NO_PLACE_TO_MOVE_PODS),
                arguments("the group is at its minSize",
                        subject().inGroup(group("arm", Arch.ARM64, 2, 2)), UnremovableReason.MIN_SIZE_REACHED),
                arguments("the node is in no managed group",
                        new Case(node("arm-1", null, Arch.ARM64)), UnremovableReason.NOT_AUTOSCALED),
                arguments("the node is not ready",
                        new Case(node("arm-1", "arm", Arch.ARM64).notReady()), UnremovableReason.NOT_READY),
                arguments("unneeded for less than unneededTime",
                        subject().unneededFor(Duration.ofMinutes(9)), UnremovableReason.NOT_UNNEEDED_LONG_ENOUGH),
                arguments("the node was created within delayAfterAdd",
                        new Case(node("arm-1", "arm", Arch.ARM64).created(T0)), UnremovableReason.RECENTLY_ADDED),
                arguments("its group scaled up within delayAfterAdd",
                        subject().scaledUp(Duration.ofMinutes(5)), UnremovableReason.RECENTLY_ADDED),
                arguments("its scale-down failed within delayAfterFailure",
                        subject().failed(Duration.ofMinutes(2)), UnremovableReason.RECENTLY_FAILED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("removed")
    void removesTheNode(String rule, Case c, Removal.Kind kind) {
        ScaleDownResult result = c.plan();
        assertThat(result.removals()).extracting(Removal::node, Removal::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("arm-1", kind));
        assertThat(result.unremovable()).extracting(Unremovable::node).doesNotContain("arm-1");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kept")
    void keepsTheNodeAndSaysWhy(String rule, Case c, UnremovableReason reason) {
        ScaleDownResult result = c.plan();
        assertThat(result.removals()).isEmpty();
        assertThat(result.unremovable()).filteredOn(u -> u.node().equals("arm-1"))
                .singleElement().satisfies(u -> {
                    assertThat(u.reason()).isEqualTo(reason);
                    assertThat(u.detail()).isNotBlank();
                });
    }

    private static Case subject(ScaleDownFixtures.PodBuilder... pods) {
        return new Case(node("arm-1", "arm", Arch.ARM64).pods(pods));
    }

    /** arm-1 as built, beside a busy arm-2, unneeded for unneededTime unless told otherwise. */
    static final class Case {
        private final ScaleDownFixtures.NodeBuilder subject;
        private final List<DisruptionBudget> budgets = new ArrayList<>();
        private NodeGroup group = ScaleDownFixtures.group("arm", Arch.ARM64, 0, 2);
        private Duration unneededFor = UNNEEDED;
        private Duration scaledUpAgo;
        private Duration failedAgo;

        Case(ScaleDownFixtures.NodeBuilder subject) {
            this.subject = subject;
        }

        Case budget(DisruptionBudget b) {
            budgets.add(b);
            return this;
        }

        Case inGroup(NodeGroup g) {
            group = g;
            return this;
        }

        Case unneededFor(Duration d) {
            unneededFor = d;
            return this;
        }

        Case scaledUp(Duration ago) {
            scaledUpAgo = ago;
            return this;
        }

        Case failed(Duration ago) {
            failedAgo = ago;
            return this;
        }

        ScaleDownResult plan() {
            MutableClock clock = new MutableClock(T0.minus(unneededFor));
            NodeWithPods busy = node("arm-2", "arm", Arch.ARM64).pods(pod("api-1").cpu("1200m")).build();
            ScaleDownInput in = new ScaleDownInput(List.of(group), List.of(subject.build(), busy), budgets,
                    scaledUpAgo == null ? Map.of() : Map.of("arm", T0.minus(scaledUpAgo)),
                    failedAgo == null ? Map.of() : Map.of("arm-1", T0.minus(failedAgo)));
            ScaleDownPlanner planner = new ScaleDownPlanner(RULES);
            UnneededTracker tracker = new UnneededTracker(clock);
            planner.track(in, tracker);
            clock.advance(unneededFor);
            return planner.plan(in, tracker, clock.instant());
        }

        @Override
        public String toString() {
            return subject.build().name();
        }
    }
}
