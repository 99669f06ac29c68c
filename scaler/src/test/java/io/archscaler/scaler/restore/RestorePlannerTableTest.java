package io.archscaler.scaler.restore;

import io.archscaler.scaler.Fixtures;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.ClusterLimits;
import io.archscaler.scaler.scaledown.ScaleDownAnnotations;
import io.archscaler.scaler.scaledown.ScaleDownFixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import static io.archscaler.scaler.restore.RestoreCase.ARM_PRICE;
import static io.archscaler.scaler.restore.RestoreCase.X86_PRICE;
import static io.archscaler.scaler.scaledown.ScaleDownFixtures.budget;
import static io.archscaler.scaler.scaledown.ScaleDownFixtures.node;
import static io.archscaler.scaler.scaledown.ScaleDownFixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * One row per rule: amd64 node {@code amd-1} of group x86, holding web-1 and web-2 (500m, 1Gi,
 * of a ReplicaSet) unless the row says otherwise, either moves to arm64 (how, for what saving)
 * or stays (and why). arm64 has no node unless the row adds one.
 */
class RestorePlannerTableTest {
    private static final double NEW_NODE_SAVING = X86_PRICE - ARM_PRICE;

    static Stream<Arguments> moves() {
        return Stream.of(
                arguments("after a fallback, once the arm64 group's backoff is over, onto a new arm64 node",
                        subject(), RestoreReason.RESTORE, 1, NEW_NODE_SAVING),
                arguments("free room on an arm64 node first: nothing added, the whole node saved",
                        subject().nodes(node("arm-1", "arm", Arch.ARM64)), RestoreReason.RESTORE, 0, X86_PRICE),
                arguments("free room on an arm64 node while its group's offering is out: no launch needed",
                        subject().nodes(node("arm-1", "arm", Arch.ARM64)).offeringOut("arm"), RestoreReason.RESTORE, 0,
                        X86_PRICE),
                arguments("images known to be multi-arch move",
                        subject(web("web-1").images(Arch.AMD64, Arch.ARM64), web("web-2").images(Arch.ARM64, Arch.AMD64)),
                        RestoreReason.RESTORE, 1, NEW_NODE_SAVING),
                arguments("unknown images move under assume-multiarch",
                        subject().unknownImages(UnknownImages.ASSUME_MULTIARCH), RestoreReason.RESTORE, 1,
                        NEW_NODE_SAVING),
                arguments("DaemonSet and mirror pods stay with the node and do not block",
                        subject(web("web-1"), web("web-2"), pod("agent").daemonSet().amd64Only(),
                                pod("proxy").bare().annotation(ScaleDownAnnotations.MIRROR, "x")),
                        RestoreReason.RESTORE, 1, NEW_NODE_SAVING),
                arguments("do-not-disrupt other than \"true\" does not block",
                        subject(web("web-1").annotation(ScaleDownAnnotations.DO_NOT_DISRUPT, "false"), web("web-2")),
                        RestoreReason.RESTORE, 1, NEW_NODE_SAVING),
                arguments("a PDB with a disruption left for each pod",
                        subject().budget(budget("default", "web", Map.of("app", "web"), 2)), RestoreReason.RESTORE, 1,
                        NEW_NODE_SAVING),
                arguments("a half-open circuit of another group does not matter",
                        subject().halfOpen("x86"), RestoreReason.RESTORE, 1, NEW_NODE_SAVING),
                arguments("replace with consolidate: the ranking prefers amd64, arm64 is cheaper",
                        subject().group("x86", g -> g.weight(200)).replace(), RestoreReason.REPLACE, 1,
                        NEW_NODE_SAVING));
    }

    static Stream<Arguments> stays() {
        return Stream.of(
                arguments("unknown images under assume-amd64",
                        subject().unknownImages(UnknownImages.ASSUME_AMD64), KeptReason.UNKNOWN_IMAGES),
                arguments("an image published for amd64 only", subject(web("web-1").images(Arch.AMD64), web("web-2")),
                        KeptReason.NEEDS_AMD64),
                arguments("a pod pinned to amd64 by its nodeSelector", subject(web("web-1").amd64Only(), web("web-2")),
                        KeptReason.NEEDS_AMD64),
                arguments("a PDB with no disruption left",
                        subject().budget(budget("default", "web", Map.of("app", "web"), 0)), KeptReason.NOT_ENOUGH_PDB),
                arguments("a PDB with fewer disruptions left than pods",
                        subject().budget(budget("default", "web", Map.of("app", "web"), 1)), KeptReason.NOT_ENOUGH_PDB),
                arguments("a pod annotated karpenter.sh/do-not-disrupt",
                        subject(web("web-1").annotation(ScaleDownAnnotations.DO_NOT_DISRUPT, "true"), web("web-2")),
                        KeptReason.DO_NOT_DISRUPT),
                arguments("the node annotated karpenter.sh/do-not-disrupt",
                        on(amd1().annotation(ScaleDownAnnotations.DO_NOT_DISRUPT, "true")), KeptReason.DO_NOT_DISRUPT),
                arguments("the node annotated scale-down-disabled",
                        on(amd1().annotation(ScaleDownAnnotations.SCALE_DOWN_DISABLED, "true")),
                        KeptReason.SCALE_DOWN_DISABLED),
                arguments("safe-to-evict false", subject(web("web-1").annotation(ScaleDownAnnotations.SAFE_TO_EVICT,
                        "false"), web("web-2")), KeptReason.NOT_SAFE_TO_EVICT),
                arguments("a bare pod", subject(web("web-1").bare(), web("web-2")), KeptReason.NOT_REPLICATED),
                arguments("local storage", subject(web("web-1").localVolume("data", "emptyDir"), web("web-2")),
                        KeptReason.LOCAL_STORAGE),
                arguments("the saving is below restore.minSavingPerHour",
                        subject().restoreBudget(new RestoreBudget(1, 5, Duration.ofHours(1), 0.05)),
                        KeptReason.SAVING_TOO_SMALL),
                arguments("DaemonSet overhead on new arm64 nodes makes the move cost more than the node",
                        subject().daemonSet(Fixtures.pod("agent").cpu("1200m").memory("100Mi").owner("DaemonSet/agent")
                                .build()), KeptReason.SAVING_TOO_SMALL),
                arguments("the arm64 group is still in backoff", subject().backedOff("arm"), KeptReason.NO_ARM64_ROOM),
                arguments("the arm64 group's offering is out after a capacity error, its backoff over",
                        subject().offeringOut("arm"), KeptReason.NO_ARM64_ROOM),
                arguments("the arm64 group's circuit is open", subject().circuitOpen("arm"), KeptReason.NO_ARM64_ROOM),
                arguments("the arm64 group's circuit waits on its probe (half-open)", subject().halfOpen("arm"),
                        KeptReason.NO_ARM64_ROOM),
                arguments("the arm64 group is at maxSize", subject().group("arm", g -> g.max(0)),
                        KeptReason.NO_ARM64_ROOM),
                arguments("the cluster's maxNodesTotal is reached", subject().limits(ClusterLimits.ofNodes(1)),
                        KeptReason.NO_ARM64_ROOM),
                arguments("a pod no arm64 template fits (a GPU only amd64 nodes have), with consolidate",
                        subject(web("web-1").request("nvidia.com/gpu", "1"), web("web-2"))
                                .group("x86", g -> g.capacity("nvidia.com/gpu", "1")).replace(),
                        KeptReason.NO_ARM64_ROOM),
                arguments("the ranking prefers amd64 and consolidate is off", subject().group("x86", g -> g.weight(200)),
                        KeptReason.AMD64_PREFERRED),
                arguments("replace when arm64 is not cheaper",
                        subject().group("x86", g -> g.weight(200)).group("arm", g -> g.price(X86_PRICE)).replace(),
                        KeptReason.SAVING_TOO_SMALL),
                arguments("restore.maxNodes already moving", subject().moving("amd-0").nodes(amd0Moving()),
                        KeptReason.BUDGET_REACHED),
                arguments("restore.perInterval moves already started",
                        subject().moved("amd-9", Duration.ofMinutes(20), false)
                                .restoreBudget(new RestoreBudget(3, 1, Duration.ofHours(1), 0)),
                        KeptReason.BUDGET_REACHED),
                arguments("a move of the node was undone within restore.interval",
                        subject().moved("amd-1", Duration.ofMinutes(20), true), KeptReason.RECENTLY_UNDONE),
                arguments("its group is at minSize", subject().group("x86", g -> g.size(1, 10, 1)),
                        KeptReason.MIN_SIZE_REACHED),
                arguments("no pod to move", on(amd1()), KeptReason.EMPTY),
                arguments("not ready", on(amd1().notReady().pods(web("web-1"))), KeptReason.NOT_READY),
                arguments("cordoned by someone else", on(amd1().cordoned().pods(web("web-1"))), KeptReason.CORDONED),
                arguments("not in a managed group", on(node("amd-1", null, Arch.AMD64).pods(web("web-1"))),
                        KeptReason.NOT_AUTOSCALED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("moves")
    void movesTheNodeToArm64(String rule, RestoreCase c, RestoreReason reason, int newNodes, double saving) {
        RestorePlan plan = c.plan();
        assertThat(plan.kept()).extracting(Kept::node).doesNotContain("amd-1");
        assertThat(plan.replacements()).singleElement().satisfies(r -> {
            assertThat(r.node()).isEqualTo("amd-1");
            assertThat(r.nodeGroup()).isEqualTo("x86");
            assertThat(r.reason()).isEqualTo(reason);
            assertThat(r.capacity().pods()).containsExactly("default/web-1", "default/web-2");
            assertThat(r.capacity().newNodes()).isEqualTo(newNodes);
            assertThat(r.capacity().scaleUps()).allSatisfy(u -> assertThat(u.arch()).isEqualTo(Arch.ARM64));
            assertThat(r.savingPerHour()).isCloseTo(saving, within(1e-9));
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stays")
    void keepsTheNodeAndSaysWhy(String rule, RestoreCase c, KeptReason reason) {
        RestorePlan plan = c.plan();
        assertThat(plan.replacements()).extracting(Replacement::node).doesNotContain("amd-1");
        assertThat(plan.kept()).filteredOn(k -> k.node().equals("amd-1")).singleElement().satisfies(k -> {
            assertThat(k.reason()).isEqualTo(reason);
            assertThat(k.detail()).isNotBlank();
        });
    }

    static ScaleDownFixtures.PodBuilder web(String name) {
        return pod(name).cpu("500m").label("app", "web");
    }

    static ScaleDownFixtures.NodeBuilder amd1() {
        return node("amd-1", "x86", Arch.AMD64);
    }

    /** A node already moving: cordoned and tainted for deletion, its one pod on its way to arm64. */
    private static ScaleDownFixtures.NodeBuilder amd0Moving() {
        return node("amd-0", "x86", Arch.AMD64).beingDeleted().cordoned().pods(pod("api-1").cpu("200m"));
    }

    static RestoreCase subject(ScaleDownFixtures.PodBuilder... pods) {
        ScaleDownFixtures.PodBuilder[] onNode = pods.length == 0
                ? new ScaleDownFixtures.PodBuilder[] {web("web-1"), web("web-2")} : pods;
        return on(amd1().pods(onNode));
    }

    static RestoreCase on(ScaleDownFixtures.NodeBuilder node) {
        return new RestoreCase().nodes(node);
    }
}
