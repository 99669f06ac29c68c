package io.archscaler.scaler.readiness;

import io.archscaler.scaler.Fixtures;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.PendingPod;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static io.archscaler.scaler.Fixtures.pod;
import static io.archscaler.scaler.Fixtures.req;
import static io.archscaler.scaler.Fixtures.term;
import static org.assertj.core.api.Assertions.assertThat;

/** One row per rule of {@link Assessment}: which images and pins make a workload ready, blocked or unknown. */
class ReadinessAssessmentTest {
    private static final String ARCH = "kubernetes.io/arch";
    private static final ImageSupport MULTI = ImageSupport.known("acme/web:2", List.of("linux/amd64", "linux/arm64/v8"),
            Set.of(Arch.AMD64, Arch.ARM64));
    private static final ImageSupport LEGACY = ImageSupport.known("acme/legacy:1.2", List.of("linux/amd64"), Set.of(Arch.AMD64));
    private static final ImageSupport WINDOWS = ImageSupport.known("acme/win:1", List.of("windows/amd64"), Set.of());
    private static final ImageSupport UNREACHABLE = ImageSupport.unknown("10.0.0.9:5000/tool:3", "unreachable: connection refused");
    private static final ImageSupport NOT_LOOKED_UP = ImageSupport.unknown("acme/web:2", "not looked up: --no-resolve");

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("multi-arch images and no pin", pod("a"), List.of(MULTI), Verdict.READY, List.of()),
                Arguments.of("no images at all", pod("a"), List.of(), Verdict.READY, List.of()),
                Arguments.of("an amd64-only image", pod("a"), List.of(MULTI, LEGACY), Verdict.BLOCKED,
                        List.of("acme/legacy:1.2 has no linux/arm64 (published for linux/amd64)")),
                Arguments.of("an image with no linux platform at all", pod("a"), List.of(WINDOWS), Verdict.BLOCKED,
                        List.of("acme/win:1 has no linux/arm64 (published for windows/amd64)")),
                Arguments.of("an image whose registry is unreachable", pod("a"), List.of(MULTI, UNREACHABLE), Verdict.UNKNOWN,
                        List.of("10.0.0.9:5000/tool:3: platforms unknown (unreachable: connection refused)")),
                Arguments.of("--no-resolve leaves images unknown", pod("a"), List.of(NOT_LOOKED_UP), Verdict.UNKNOWN,
                        List.of("acme/web:2: platforms unknown (not looked up: --no-resolve)")),
                Arguments.of("a blocking image outweighs an unknown one", pod("a"), List.of(UNREACHABLE, LEGACY),
                        Verdict.BLOCKED, List.of("acme/legacy:1.2 has no linux/arm64 (published for linux/amd64)")),
                Arguments.of("nodeSelector pins amd64", pod("a").selector(ARCH, "amd64"), List.of(MULTI), Verdict.BLOCKED,
                        List.of("nodeSelector kubernetes.io/arch=amd64 pins it to amd64")),
                Arguments.of("the beta arch label pins amd64", pod("a").selector("beta.kubernetes.io/arch", "amd64"),
                        List.of(MULTI), Verdict.BLOCKED,
                        List.of("nodeSelector beta.kubernetes.io/arch=amd64 pins it to amd64")),
                Arguments.of("nodeSelector on arm64 is no pin against it", pod("a").selector(ARCH, "arm64"), List.of(MULTI),
                        Verdict.READY, List.of()),
                Arguments.of("a selector on another label is no pin", pod("a").selector("workload", "batch"), List.of(MULTI),
                        Verdict.READY, List.of()),
                Arguments.of("required affinity In [amd64]", pod("a").affinity(term(req(ARCH, "In", "amd64"))),
                        List.of(MULTI), Verdict.BLOCKED,
                        List.of("required node affinity kubernetes.io/arch In [amd64] pins it to amd64")),
                Arguments.of("required affinity NotIn [arm64]", pod("a").affinity(term(req(ARCH, "NotIn", "arm64"))),
                        List.of(MULTI), Verdict.BLOCKED,
                        List.of("required node affinity kubernetes.io/arch NotIn [arm64] pins it to amd64")),
                Arguments.of("required affinity allowing both", pod("a").affinity(term(req(ARCH, "In", "amd64", "arm64"))),
                        List.of(MULTI), Verdict.READY, List.of()),
                Arguments.of("a pin and an amd64-only image are both named",
                        pod("a").selector(ARCH, "amd64"), List.of(LEGACY), Verdict.BLOCKED,
                        List.of("nodeSelector kubernetes.io/arch=amd64 pins it to amd64",
                                "acme/legacy:1.2 has no linux/arm64 (published for linux/amd64)")),
                Arguments.of("a pin to no architecture at all", pod("a").selector(ARCH, "s390x"), List.of(MULTI),
                        Verdict.BLOCKED, List.of("nodeSelector kubernetes.io/arch=s390x pins it to no architecture")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void verdictAndReasons(String name, Fixtures.PodBuilder template, List<ImageSupport> images, Verdict verdict,
                           List<String> reasons) {
        PendingPod pod = template.build();
        Workload w = new Workload(new WorkloadId("shop", "Deployment", "web"), pod, images, List.of());

        Assessment a = Assessment.of(w);

        assertThat(a.verdict()).isEqualTo(verdict);
        assertThat(a.reasons()).containsExactlyElementsOf(reasons);
    }
}
