package io.archscaler.scaler.caexpander;

import io.archscaler.scaler.Fixtures;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.NodeTemplate;
import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.model.Resources;
import io.archscaler.scaler.model.TaintEffect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.archscaler.scaler.Fixtures.group;
import static io.archscaler.scaler.Fixtures.pod;
import static io.archscaler.scaler.model.Arch.AMD64;
import static io.archscaler.scaler.model.Arch.ARM64;
import static org.assertj.core.api.Assertions.assertThat;

class OptionRankingTest {
    private static final NodeGroup ARM = group("arm-general", ARM64).build();
    private static final NodeGroup X86 = group("x86-general", AMD64).build();
    private static final NodeGroup ARM_CHEAP = group("arm-spot", ARM64).price(0.03).build();
    private static final NodeGroup X86_HEAVY = group("x86-heavy", AMD64).weight(300).build();
    private static final NodeGroup ARM_TAINTED = group("arm-tainted", ARM64).taint("arch", "arm64", TaintEffect.NO_SCHEDULE).build();

    private static final PendingPod FLEXIBLE = pod("web-1").build();
    private static final PendingPod MULTI_ARCH = pod("web-2").images(AMD64, ARM64).build();
    private static final PendingPod AMD64_IMAGE = pod("legacy-0").images(AMD64).build();
    private static final PendingPod ARM64_IMAGE = pod("graviton-0").images(ARM64).build();
    private static final PendingPod PINNED_AMD64 = pod("pinned-0").selector(NodeTemplate.ARCH_LABEL, "amd64").build();

    /** An option for a configured group, with CA's template equal to the group's own. */
    private static ScaleUpOption known(NodeGroup g, PendingPod... pods) {
        return new ScaleUpOption(g.name(), 1, List.of(pods), g.template(), g);
    }

    /** An option for a group Archscaler's configuration does not name. */
    private static ScaleUpOption unknown(String id, Arch arch, PendingPod... pods) {
        NodeTemplate t = arch == null ? new NodeTemplate(Resources.ZERO, Map.of(), List.of())
                : NodeTemplate.forGroup(id, arch, null, Fixtures.res(Map.of("cpu", "4", "memory", "16Gi", "pods", "58")),
                Map.of(), List.of());
        return new ScaleUpOption(id, 1, List.of(pods), t, null);
    }

    static Stream<Arguments> rankings() {
        return Stream.of(
                Arguments.of("default weights: arm64 alone is chosen, amd64 ranks lower",
                        List.of(known(X86, FLEXIBLE), known(ARM, FLEXIBLE)), List.of("arm-general"),
                        Map.of("x86-general", DropReason.LOWER_RANK)),
                Arguments.of("an amd64-only image drops the arm64 option",
                        List.of(known(ARM, FLEXIBLE, AMD64_IMAGE), known(X86, FLEXIBLE, AMD64_IMAGE)), List.of("x86-general"),
                        Map.of("arm-general", DropReason.IMAGE_ARCH)),
                Arguments.of("a multi-arch image keeps arm64 first",
                        List.of(known(X86, MULTI_ARCH), known(ARM, MULTI_ARCH)), List.of("arm-general"),
                        Map.of("x86-general", DropReason.LOWER_RANK)),
                Arguments.of("an arm64-only image drops the amd64 option too",
                        List.of(known(X86_HEAVY, ARM64_IMAGE), known(ARM, ARM64_IMAGE)), List.of("arm-general"),
                        Map.of("x86-heavy", DropReason.IMAGE_ARCH)),
                Arguments.of("unknown images (lookup failed or slow): ranked on constraints alone",
                        List.of(known(ARM, FLEXIBLE), known(X86, FLEXIBLE)), List.of("arm-general"),
                        Map.of("x86-general", DropReason.LOWER_RANK)),
                Arguments.of("a nodeSelector on amd64 drops arm64 as the pod's own constraint",
                        List.of(known(ARM, PINNED_AMD64), known(X86, PINNED_AMD64)), List.of("x86-general"),
                        Map.of("arm-general", DropReason.POD_CONSTRAINTS)),
                Arguments.of("an untolerated taint drops the tainted group",
                        List.of(known(ARM_TAINTED, FLEXIBLE), known(X86, FLEXIBLE)), List.of("x86-general"),
                        Map.of("arm-tainted", DropReason.POD_CONSTRAINTS)),
                Arguments.of("a configured weight over arm64's default wins",
                        List.of(known(ARM, FLEXIBLE), known(X86_HEAVY, FLEXIBLE)), List.of("x86-heavy"),
                        Map.of("arm-general", DropReason.LOWER_RANK)),
                Arguments.of("equal weights: both chosen, the cheaper per pod first",
                        List.of(known(ARM, FLEXIBLE), known(ARM_CHEAP, FLEXIBLE)), List.of("arm-spot", "arm-general"),
                        Map.of()),
                Arguments.of("an unconfigured group ranks after configured ones whatever its arch",
                        List.of(unknown("eks-arm-asg", ARM64, FLEXIBLE), known(X86, FLEXIBLE)), List.of("x86-general"),
                        Map.of("eks-arm-asg", DropReason.LOWER_RANK)),
                Arguments.of("unconfigured groups rank by arch: arm64 first",
                        List.of(unknown("asg-x86", AMD64, FLEXIBLE), unknown("asg-arm", ARM64, FLEXIBLE)), List.of("asg-arm"),
                        Map.of("asg-x86", DropReason.LOWER_RANK)),
                Arguments.of("an unconfigured arm64 group is dropped for an amd64-only image too",
                        List.of(unknown("asg-arm", ARM64, AMD64_IMAGE), unknown("asg-x86", AMD64, AMD64_IMAGE)), List.of("asg-x86"),
                        Map.of("asg-arm", DropReason.IMAGE_ARCH)),
                Arguments.of("an option of unknown arch is never dropped, and ranks last",
                        List.of(unknown("mystery", null, AMD64_IMAGE), unknown("asg-x86", AMD64, AMD64_IMAGE)), List.of("asg-x86"),
                        Map.of("mystery", DropReason.LOWER_RANK)),
                Arguments.of("everything dropped: the input comes back as it came",
                        List.of(known(ARM, AMD64_IMAGE), known(ARM_CHEAP, AMD64_IMAGE)), List.of("arm-general", "arm-spot"),
                        Map.of("arm-general", DropReason.IMAGE_ARCH, "arm-spot", DropReason.IMAGE_ARCH)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rankings")
    void ranksAsTheTableSays(String scenario, List<ScaleUpOption> options, List<String> chosen, Map<String, DropReason> drops) {
        Ranking r = OptionRanking.rank(options);

        assertThat(r.chosen()).extracting(ScaleUpOption::nodeGroupId).as(scenario).containsExactlyElementsOf(chosen);
        assertThat(r.dropped()).as(scenario).hasSize(drops.size());
        r.dropped().forEach(d -> assertThat(d.reason()).as(scenario + ": " + d).isEqualTo(drops.get(d.nodeGroupId())));
        assertThat(r.chosen()).as("never empty").isNotEmpty();
    }

    @Test
    void fallsBackOnlyWhenEveryOptionWasDropped() {
        assertThat(OptionRanking.rank(List.of(known(ARM, AMD64_IMAGE))).fellBack()).isTrue();
        assertThat(OptionRanking.rank(List.of(known(ARM, AMD64_IMAGE), known(X86, AMD64_IMAGE))).fellBack()).isFalse();
    }

    @Test
    void noOptionsGiveNoOptionsAndNoFallback() {
        Ranking r = OptionRanking.rank(List.of());

        assertThat(r.chosen()).isEmpty();
        assertThat(r.fellBack()).isFalse();
    }

    @Test
    void theDropNamesThePodAndWhy() {
        Drop d = OptionRanking.rank(List.of(known(ARM, AMD64_IMAGE), known(X86, AMD64_IMAGE))).dropped().get(0);

        assertThat(d.detail()).startsWith("pod default/legacy-0: ").contains("amd64");
    }

    @Test
    void aTemplateWithoutCapacityLeavesResourcesToClusterAutoscaler() {
        NodeTemplate bare = NodeTemplate.forGroup("asg-arm", ARM64, null, Resources.ZERO, Map.of(), List.of());
        ScaleUpOption option = new ScaleUpOption("asg-arm", 2, List.of(pod("big").cpu("64").build()), bare, null);

        assertThat(OptionRanking.rank(List.of(option)).chosen()).extracting(ScaleUpOption::nodeGroupId).containsExactly("asg-arm");
        assertThat(OptionRanking.rank(List.of(option)).dropped()).isEmpty();
    }
}
