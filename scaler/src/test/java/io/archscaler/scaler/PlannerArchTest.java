package io.archscaler.scaler;

import io.archscaler.scaler.model.ClusterLimits;
import io.archscaler.scaler.model.FallbackCause;
import io.archscaler.scaler.model.ScalePlan;
import io.archscaler.scaler.model.ScaleUp;
import io.archscaler.scaler.model.Unschedulable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static io.archscaler.scaler.Fixtures.group;
import static io.archscaler.scaler.Fixtures.pod;
import static io.archscaler.scaler.Fixtures.req;
import static io.archscaler.scaler.Fixtures.snapshot;
import static io.archscaler.scaler.Fixtures.term;
import static io.archscaler.scaler.model.Arch.AMD64;
import static io.archscaler.scaler.model.Arch.ARM64;
import static org.assertj.core.api.Assertions.assertThat;

/** Which group the planner picks for pods, by their architectures and the groups' state. */
class PlannerArchTest {
    private static final String ARCH = "kubernetes.io/arch";
    private static final String BETA = "beta.kubernetes.io/arch";

    private static Fixtures.GroupBuilder arm() {
        return group("arm-general", ARM64);
    }

    private static Fixtures.GroupBuilder x86() {
        return group("x86-general", AMD64).label("rack", "12");
    }

    static ScalePlan plan(Fixtures.SnapshotBuilder s) {
        return new Planner().plan(s.build());
    }

    @Test
    void flexiblePodsGoToArm64() {
        ScalePlan plan = plan(snapshot().groups(arm(), x86()).pods(pod("web-1"), pod("web-2"), pod("web-3")));

        assertThat(plan.scaleUps()).containsExactly(
                new ScaleUp("arm-general", ARM64, 0, 1, List.of("default/web-1", "default/web-2", "default/web-3"),
                        null));
        assertThat(plan.unschedulable()).isEmpty();
        assertThat(plan.scaleDowns()).isEmpty();
    }

    static Stream<Arguments> lockedPods() {
        return Stream.of(
                Arguments.of("nodeSelector amd64", pod("p").selector(ARCH, "amd64"), "x86-general"),
                Arguments.of("beta nodeSelector amd64", pod("p").selector(BETA, "amd64"), "x86-general"),
                Arguments.of("affinity In amd64", pod("p").affinity(term(req(ARCH, "In", "amd64"))), "x86-general"),
                Arguments.of("affinity NotIn arm64", pod("p").affinity(term(req(ARCH, "NotIn", "arm64"))),
                        "x86-general"),
                Arguments.of("affinity NotIn arm64 on the beta label",
                        pod("p").affinity(term(req(BETA, "NotIn", "arm64"))), "x86-general"),
                Arguments.of("images built only for amd64", pod("p").images(AMD64), "x86-general"),
                Arguments.of("affinity Exists on arch stays flexible", pod("p").affinity(term(req(ARCH, "Exists"))),
                        "arm-general"),
                Arguments.of("affinity Gt on a label only the amd64 group has",
                        pod("p").affinity(term(req("rack", "Gt", "10"))), "x86-general"),
                Arguments.of("affinity Lt on that label", pod("p").affinity(term(req("rack", "Lt", "20"))),
                        "x86-general"),
                Arguments.of("affinity DoesNotExist on a label only the amd64 group has",
                        pod("p").affinity(term(req("rack", "DoesNotExist"))), "arm-general"),
                Arguments.of("nodeSelector arm64", pod("p").selector(ARCH, "arm64"), "arm-general"),
                Arguments.of("images built for both", pod("p").images(AMD64, ARM64), "arm-general"));
    }

    @ParameterizedTest(name = "{0} → {2}")
    @MethodSource("lockedPods")
    void constraintsDecideTheGroup(String name, Fixtures.PodBuilder pod, String expectedGroup) {
        ScalePlan plan = plan(snapshot().groups(arm(), x86()).pods(pod));

        assertThat(plan.scaleUps()).singleElement().satisfies(up -> {
            assertThat(up.nodeGroup()).isEqualTo(expectedGroup);
            assertThat(up.pods()).containsExactly("default/p");
            assertThat(up.fallbackReason()).isNull();
        });
    }

    @Test
    void flexiblePodsOverflowToAmd64WhenArm64IsAtMax() {
        ScalePlan plan = plan(snapshot().groups(arm().size(0, 2, 1), x86())
                .pods(Fixtures.pods("web", 8, "500m", "512Mi")));

        assertThat(plan.scaleUps()).hasSize(2);
        ScaleUp onArm = plan.scaleUps().get(0);
        ScaleUp onX86 = plan.scaleUps().get(1);
        assertThat(onArm.nodeGroup()).isEqualTo("arm-general");
        assertThat(onArm.from()).isEqualTo(1);
        assertThat(onArm.to()).isEqualTo(2);
        assertThat(onArm.pods()).hasSize(4).allMatch(p -> p.compareTo("default/web-00004") < 0);
        assertThat(onArm.fallbackReason()).isNull();
        assertThat(onX86.nodeGroup()).isEqualTo("x86-general");
        assertThat(onX86.arch()).isEqualTo(AMD64);
        assertThat(onX86.to() - onX86.from()).isEqualTo(1);
        assertThat(onX86.pods()).hasSize(4);
        assertThat(onX86.fallbackReason()).isEqualTo("arm-general at maxSize 2");
        assertThat(onX86.fallback().cause()).isEqualTo(FallbackCause.MAX_SIZE);
    }

    @Test
    void arm64OnlyPodsDoNotOverflowToAmd64() {
        ScalePlan plan = plan(snapshot().groups(arm().size(0, 1, 1), x86()).pods(pod("a").selector(ARCH, "arm64")));

        assertThat(plan.scaleUps()).isEmpty();
        assertThat(plan.unschedulable()).containsExactly(new Unschedulable("default/a",
                "no node group can take it: arm-general at maxSize 1; x86-general doesn't fit: "
                        + "architecture amd64 not allowed (pod allows [arm64])"));
    }

    static Stream<Arguments> skippedArm() {
        return Stream.of(
                Arguments.of("backoff", snapshot().backedOff("arm-general").groups(arm()), "arm-general in backoff",
                        FallbackCause.BACKOFF),
                Arguments.of("open circuit", snapshot().circuitOpen("arm-general").groups(arm()),
                        "arm-general circuit open", FallbackCause.CIRCUIT_OPEN),
                Arguments.of("at maxSize from the start", snapshot().groups(arm().size(0, 3, 3)),
                        "arm-general at maxSize 3", FallbackCause.MAX_SIZE),
                // the cause is typed: a group named after another cause does not confuse it
                Arguments.of("backoff of a group named for limits", snapshot().backedOff("arm-limit-circuit")
                        .groups(group("arm-limit-circuit", ARM64).size(0, 10, 0)),
                        "arm-limit-circuit in backoff", FallbackCause.BACKOFF),
                Arguments.of("both backoff and open circuit: the circuit names it", snapshot()
                        .backedOff("arm-general").circuitOpen("arm-b").groups(arm(), group("arm-b", ARM64)
                                .size(0, 10, 0)),
                        "arm-b circuit open; arm-general in backoff", FallbackCause.CIRCUIT_OPEN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("skippedArm")
    void aSkippedArm64GroupSendsFlexiblePodsToAmd64WithTheReason(String name, Fixtures.SnapshotBuilder s,
                                                                String reason, FallbackCause cause) {
        s.groups(x86()).pods(pod("web-1"), pod("web-2"));
        ScalePlan plan = plan(s);

        assertThat(plan.scaleUps()).singleElement().satisfies(up -> {
            assertThat(up.nodeGroup()).isEqualTo("x86-general");
            assertThat(up.pods()).containsExactly("default/web-1", "default/web-2");
            assertThat(up.fallbackReason()).isEqualTo(reason);
            assertThat(up.fallback().cause()).isEqualTo(cause);
        });
    }

    @Test
    void aClusterLimitThatStopsArm64IsTheFallbackCause() {
        // an 8-core arm64 node would pass maxCoresTotal 4; a 2-core amd64 one does not
        ScalePlan plan = plan(snapshot().groups(arm().capacity("8", "32Gi", 58), x86())
                .limits(new ClusterLimits(Long.MAX_VALUE, 4, Long.MAX_VALUE)).pods(pod("web-1")));

        assertThat(plan.scaleUps()).singleElement().satisfies(up -> {
            assertThat(up.nodeGroup()).isEqualTo("x86-general");
            assertThat(up.fallbackReason()).startsWith("arm-general blocked: ");
            assertThat(up.fallback().cause()).isEqualTo(FallbackCause.CLUSTER_LIMIT);
            assertThat(up.fallback().cause().label()).isEqualTo("cluster_limit");
        });
    }

    @Test
    void aSkippedGroupLeavesPodsOnlyItFitsUnschedulableWithTheReason() {
        ScalePlan plan = plan(snapshot().groups(arm(), x86()).backedOff("arm-general").circuitOpen("x86-general")
                .pods(pod("a")));

        assertThat(plan.unschedulable()).containsExactly(new Unschedulable("default/a",
                "no node group can take it: arm-general in backoff; x86-general circuit open"));
    }

    @Test
    void amd64OnlyPodsOnAmd64CarryNoFallbackReasonEvenWhenArm64IsFull() {
        ScalePlan plan = plan(snapshot().groups(arm().size(0, 1, 1), x86()).pods(pod("legacy").images(AMD64)));

        assertThat(plan.scaleUps()).singleElement().extracting(ScaleUp::fallbackReason).isNull();
    }

    @Test
    void aHigherAmd64WeightWinsOverArchWithoutAFallbackReason() {
        ScalePlan plan = plan(snapshot().groups(arm(), x86().weight(200)).pods(pod("web-1")));

        assertThat(plan.scaleUps()).singleElement().satisfies(up -> {
            assertThat(up.nodeGroup()).isEqualTo("x86-general");
            assertThat(up.fallbackReason()).isNull();
        });
    }

    @Test
    void anEmptyArchSetIsReportedUnschedulableWithTheReason() {
        ScalePlan plan = plan(snapshot().groups(arm(), x86())
                .pods(pod("mainframe").selector(ARCH, "s390x"),
                        pod("confused").images(AMD64).affinity(term(req(ARCH, "In", "arm64"))),
                        pod("nowhere").affinity(term(req(ARCH, "DoesNotExist")))));

        assertThat(plan.scaleUps()).isEmpty();
        assertThat(plan.unschedulable()).containsExactly(
                new Unschedulable("default/confused",
                        "no supported architecture: images support only [amd64] but affinity requires [arm64]"),
                new Unschedulable("default/mainframe", "no supported architecture: nodeSelector "
                        + "kubernetes.io/arch=s390x names no supported architecture (supported: [amd64, arm64])"),
                new Unschedulable("default/nowhere", "no supported architecture: required node affinity "
                        + "kubernetes.io/arch DoesNotExist allows no supported architecture (supported: [amd64, arm64])"));
    }

    @Test
    void withoutNodeGroupsEveryPodIsUnschedulable() {
        ScalePlan plan = plan(snapshot().pods(pod("a")));

        assertThat(plan.unschedulable()).containsExactly(new Unschedulable("default/a", "no node group is configured"));
    }
}
