package io.archscaler.scaler;

import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.Resources;
import io.archscaler.scaler.model.TaintEffect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static io.archscaler.scaler.Fixtures.group;
import static io.archscaler.scaler.Fixtures.node;
import static io.archscaler.scaler.Fixtures.pod;
import static io.archscaler.scaler.Fixtures.req;
import static io.archscaler.scaler.Fixtures.res;
import static io.archscaler.scaler.Fixtures.term;
import static io.archscaler.scaler.Fixtures.tolerateEqual;
import static io.archscaler.scaler.Fixtures.tolerateExists;
import static io.archscaler.scaler.model.Arch.AMD64;
import static io.archscaler.scaler.model.Arch.ARM64;
import static io.archscaler.scaler.model.TaintEffect.NO_EXECUTE;
import static io.archscaler.scaler.model.TaintEffect.NO_SCHEDULE;
import static io.archscaler.scaler.model.TaintEffect.PREFER_NO_SCHEDULE;
import static org.assertj.core.api.Assertions.assertThat;

class TemplateFitTest {
    private static final Fixtures.GroupBuilder GENERAL = group("general", AMD64).label("workload", "general")
            .label("rack", "12");

    /** Each case: a pod, a group, and the reason it does not fit (null when it fits). */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("a plain pod fits", pod("a"), GENERAL, null),
                Arguments.of("nodeSelector equal to a label", pod("a").selector("workload", "general"), GENERAL, null),
                Arguments.of("nodeSelector on a missing value", pod("a").selector("workload", "gpu"), GENERAL,
                        "node selector workload=gpu does not match"),
                Arguments.of("nodeSelector on the group label", pod("a").selector("archscaler.io/node-group", "general"),
                        GENERAL, null),
                Arguments.of("affinity In", pod("a").affinity(term(req("workload", "In", "general", "batch"))),
                        GENERAL, null),
                Arguments.of("affinity NotIn", pod("a").affinity(term(req("workload", "NotIn", "general"))), GENERAL,
                        "required node affinity workload NotIn [general] does not match"),
                Arguments.of("affinity Exists", pod("a").affinity(term(req("rack", "Exists"))), GENERAL, null),
                Arguments.of("affinity DoesNotExist", pod("a").affinity(term(req("gpu", "DoesNotExist"))), GENERAL,
                        null),
                Arguments.of("affinity Gt compares integers", pod("a").affinity(term(req("rack", "Gt", "9"))),
                        GENERAL, null),
                Arguments.of("affinity Gt is not string order", pod("a").affinity(term(req("rack", "Gt", "100"))),
                        GENERAL, "does not match"),
                Arguments.of("affinity Lt", pod("a").affinity(term(req("rack", "Lt", "13"))), GENERAL, null),
                Arguments.of("affinity Lt on a non-integer label",
                        pod("a").affinity(term(req("workload", "Lt", "13"))), GENERAL, "does not match"),
                Arguments.of("affinity terms are ORed",
                        pod("a").affinity(term(req("workload", "In", "gpu")), term(req("rack", "In", "12"))), GENERAL,
                        null),
                Arguments.of("arch affinity for arm64 on an amd64 template",
                        pod("a").affinity(term(req("kubernetes.io/arch", "In", "arm64"))), GENERAL,
                        "architecture amd64 not allowed (pod allows [arm64])"),
                Arguments.of("images without an amd64 build", pod("a").images(ARM64), GENERAL,
                        "architecture amd64 not allowed"),
                Arguments.of("an untolerated NoSchedule taint",
                        pod("a"), group("gpu", AMD64).taint("gpu", "true", NO_SCHEDULE),
                        "taint gpu=true:NoSchedule not tolerated"),
                Arguments.of("an Equal toleration", pod("a").tolerate(tolerateEqual("gpu", "true", NO_SCHEDULE)),
                        group("gpu", AMD64).taint("gpu", "true", NO_SCHEDULE), null),
                Arguments.of("an Equal toleration with another value",
                        pod("a").tolerate(tolerateEqual("gpu", "false", NO_SCHEDULE)),
                        group("gpu", AMD64).taint("gpu", "true", NO_SCHEDULE), "taint gpu=true:NoSchedule"),
                Arguments.of("an Exists toleration", pod("a").tolerate(tolerateExists("gpu", NO_SCHEDULE)),
                        group("gpu", AMD64).taint("gpu", "true", NO_SCHEDULE), null),
                Arguments.of("an empty key with Exists tolerates everything",
                        pod("a").tolerate(tolerateExists("", null)),
                        group("gpu", AMD64).taint("gpu", "true", NO_SCHEDULE).taint("x", "y", NO_EXECUTE), null),
                Arguments.of("a null effect matches every effect",
                        pod("a").tolerate(tolerateExists("gpu", null)),
                        group("gpu", AMD64).taint("gpu", "true", NO_EXECUTE), null),
                Arguments.of("a toleration for another effect",
                        pod("a").tolerate(tolerateExists("gpu", NO_SCHEDULE)),
                        group("gpu", AMD64).taint("gpu", "true", NO_EXECUTE), "taint gpu=true:NoExecute not tolerated"),
                Arguments.of("PreferNoSchedule never blocks",
                        pod("a"), group("spot", AMD64).taint("spot", "true", PREFER_NO_SCHEDULE), null),
                Arguments.of("the arch taint of an arm64 group",
                        pod("a"), group("arm", ARM64).taint("arch", "arm64", NO_SCHEDULE),
                        "taint arch=arm64:NoSchedule not tolerated"),
                Arguments.of("too much cpu", pod("a").cpu("3"), group("small", AMD64).capacity("1930m", "7Gi", 29),
                        "insufficient cpu: needs 3000m, node has 1930m"),
                Arguments.of("too much memory", pod("a").memory("9Gi"), GENERAL,
                        "insufficient memory: needs 9Gi, node has 8Gi"),
                Arguments.of("no pod slots", pod("a"), group("zero", AMD64).capacity("2", "8Gi", 0),
                        "insufficient pods: needs 1, node has 0"),
                Arguments.of("a GPU pod on a group without GPUs", pod("a").gpu(1), GENERAL,
                        "insufficient nvidia.com/gpu: needs 1, node has 0"),
                Arguments.of("a GPU pod on a GPU group", pod("a").gpu(1),
                        group("gpu", AMD64).capacity("nvidia.com/gpu", "4"), null),
                Arguments.of("ephemeral storage",
                        pod("a").request("ephemeral-storage", "30Gi"),
                        group("disk", AMD64).capacity("ephemeral-storage", "20Gi"),
                        "insufficient ephemeral-storage: needs 30Gi, node has 20Gi"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void podFitsATemplateOrSaysWhyNot(String name, Fixtures.PodBuilder pod, Fixtures.GroupBuilder group, String why) {
        var result = TemplateFit.whyNot(pod.build(), group.build());

        if (why == null) {
            assertThat(result).isEmpty();
        } else {
            assertThat(result).hasValueSatisfying(r -> assertThat(r).contains(why));
        }
    }

    @Test
    void aDaemonSetReservationShrinksTheTemplate() {
        NodeGroup g = group("small", AMD64).capacity("2", "8Gi", 29).build();
        Resources reserved = res(Map.of("cpu", "500m", "memory", "1Gi", "pods", "2"));

        assertThat(TemplateFit.whyNot(pod("a").cpu("1500m").build(), g, reserved)).isEmpty();
        assertThat(TemplateFit.whyNot(pod("a").cpu("1600m").build(), g, reserved))
                .hasValue("insufficient cpu: needs 1600m, node has 1500m");
    }

    @Test
    void anExistingNodeOffersOnlyItsFreeRoom() {
        var n = node("n1", AMD64).allocatable("2", "8Gi", 29).requested("1500m", "1Gi", 5).build();

        assertThat(TemplateFit.whyNot(pod("a").cpu("500m").build(), n)).isEmpty();
        assertThat(TemplateFit.whyNot(pod("a").cpu("600m").build(), n))
                .hasValue("insufficient cpu: needs 600m, node has 500m");
        assertThat(TemplateFit.whyNot(pod("a").images(ARM64).build(), n))
                .hasValueSatisfying(r -> assertThat(r).startsWith("architecture amd64 not allowed"));
    }

    @Test
    void cordonedAndNotReadyNodesTakeNothing() {
        assertThat(TemplateFit.whyNot(pod("a").build(), node("n1", AMD64).cordoned().build()))
                .hasValue("node n1 is cordoned");
        assertThat(TemplateFit.whyNot(pod("a").build(), node("n2", AMD64).notReady().build()))
                .hasValue("node n2 is not ready");
    }

    @Test
    void aTaintedNodeNeedsAToleration() {
        var n = node("n1", ARM64).taint("arch", "arm64", TaintEffect.NO_SCHEDULE).build();

        assertThat(TemplateFit.whyNot(pod("a").build(), n)).hasValue("taint arch=arm64:NoSchedule not tolerated");
        assertThat(TemplateFit.whyNot(pod("a").tolerate(tolerateEqual("arch", "arm64", null)).build(), n)).isEmpty();
    }

    @Test
    void daemonSetsAreReservedOnlyWhereTheyWouldRun() {
        NodeGroup arm = group("arm", ARM64).build();
        NodeGroup gpu = group("gpu", AMD64).taint("gpu", "true", NO_SCHEDULE).build();
        var everywhere = pod("node-exporter").cpu("100m").memory("64Mi").tolerate(tolerateExists("", null)).build();
        var amdOnly = pod("legacy-agent").cpu("200m").memory("128Mi").images(AMD64).build();
        var gpuOnly = pod("dcgm").cpu("300m").memory("256Mi").selector("archscaler.io/node-group", "gpu")
                .tolerate(tolerateExists("gpu", null)).build();
        var list = java.util.List.of(everywhere, amdOnly, gpuOnly);

        assertThat(DaemonSetReservation.forGroup(list, arm)).isEqualTo(res(Map.of("cpu", "100m", "memory", "64Mi",
                "pods", "1")));
        assertThat(DaemonSetReservation.forGroup(list, gpu)).isEqualTo(res(Map.of("cpu", "400m", "memory", "320Mi",
                "pods", "2")));
    }
}
