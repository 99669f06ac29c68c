package io.archscaler.scaler;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.PendingPod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;

import static io.archscaler.scaler.Fixtures.pod;
import static io.archscaler.scaler.Fixtures.req;
import static io.archscaler.scaler.Fixtures.term;
import static io.archscaler.scaler.model.Arch.AMD64;
import static io.archscaler.scaler.model.Arch.ARM64;
import static org.assertj.core.api.Assertions.assertThat;

class ArchResolverTest {
    private static final String ARCH = "kubernetes.io/arch";
    private static final String BETA = "beta.kubernetes.io/arch";
    private static final Set<Arch> BOTH = EnumSet.of(AMD64, ARM64);
    private static final Set<Arch> NONE = EnumSet.noneOf(Arch.class);

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("no constraint means any arch", pod("a"), BOTH),
                Arguments.of("nodeSelector on the arch label", pod("a").selector(ARCH, "amd64"), Set.of(AMD64)),
                Arguments.of("nodeSelector on the beta arch label", pod("a").selector(BETA, "arm64"), Set.of(ARM64)),
                Arguments.of("nodeSelector on another label leaves arch open", pod("a").selector("workload", "web"), BOTH),
                Arguments.of("nodeSelector naming an unsupported arch", pod("a").selector(ARCH, "s390x"), NONE),
                Arguments.of("label values match exactly", pod("a").selector(ARCH, "ARM64"), NONE),
                Arguments.of("both arch labels agreeing", pod("a").selector(ARCH, "arm64").selector(BETA, "arm64"),
                        Set.of(ARM64)),
                Arguments.of("both arch labels contradicting", pod("a").selector(ARCH, "arm64").selector(BETA, "amd64"),
                        NONE),
                Arguments.of("affinity In", pod("a").affinity(term(req(ARCH, "In", "amd64"))), Set.of(AMD64)),
                Arguments.of("affinity In with an unknown value too",
                        pod("a").affinity(term(req(ARCH, "In", "amd64", "ppc64le"))), Set.of(AMD64)),
                Arguments.of("affinity NotIn", pod("a").affinity(term(req(ARCH, "NotIn", "arm64"))), Set.of(AMD64)),
                Arguments.of("affinity NotIn on the beta label", pod("a").affinity(term(req(BETA, "NotIn", "amd64"))),
                        Set.of(ARM64)),
                Arguments.of("affinity Exists on arch means any", pod("a").affinity(term(req(ARCH, "Exists"))), BOTH),
                Arguments.of("affinity DoesNotExist on arch means none",
                        pod("a").affinity(term(req(ARCH, "DoesNotExist"))), NONE),
                Arguments.of("affinity Gt on arch means none", pod("a").affinity(term(req(ARCH, "Gt", "1"))), NONE),
                Arguments.of("affinity Lt on arch means none", pod("a").affinity(term(req(ARCH, "Lt", "1"))), NONE),
                Arguments.of("affinity on other labels leaves arch open",
                        pod("a").affinity(term(req("zone", "In", "a"), req("gpu", "DoesNotExist"))), BOTH),
                Arguments.of("expressions in a term are ANDed",
                        pod("a").affinity(term(req(ARCH, "In", "amd64", "arm64"), req(ARCH, "NotIn", "amd64"))),
                        Set.of(ARM64)),
                Arguments.of("terms are ORed",
                        pod("a").affinity(term(req(ARCH, "In", "amd64")), term(req(ARCH, "In", "arm64"))), BOTH),
                Arguments.of("an empty term matches nothing", pod("a").affinity(term()), NONE),
                Arguments.of("images narrow the set", pod("a").images(AMD64), Set.of(AMD64)),
                Arguments.of("multi-arch images leave it open", pod("a").images(AMD64, ARM64), BOTH),
                Arguments.of("selector and affinity intersect",
                        pod("a").selector(ARCH, "arm64").affinity(term(req(ARCH, "In", "amd64", "arm64"))),
                        Set.of(ARM64)),
                Arguments.of("images and affinity that disagree leave nothing",
                        pod("a").images(AMD64).affinity(term(req(ARCH, "In", "arm64"))), NONE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void allowedArchitecturesIntersectSelectorAffinityAndImages(String name, Fixtures.PodBuilder pod,
                                                                Set<Arch> expected) {
        assertThat(ArchResolver.allowed(pod.build())).containsExactlyInAnyOrderElementsOf(expected);
    }

    static Stream<Arguments> emptyReasons() {
        return Stream.of(
                Arguments.of(pod("a").selector(ARCH, "s390x"),
                        "nodeSelector kubernetes.io/arch=s390x names no supported architecture"),
                Arguments.of(pod("a").images(AMD64).affinity(term(req(ARCH, "In", "arm64"))),
                        "images support only [amd64] but affinity requires [arm64]"),
                Arguments.of(pod("a").images(ARM64).selector(ARCH, "amd64"),
                        "images support only [arm64] but nodeSelector requires [amd64]"),
                Arguments.of(pod("a").selector(BETA, "arm64").affinity(term(req(ARCH, "NotIn", "arm64"))),
                        "nodeSelector requires [arm64] but affinity requires [amd64]"),
                Arguments.of(pod("a").selector(ARCH, "arm64").selector(BETA, "amd64"),
                        "nodeSelector kubernetes.io/arch=arm64 and beta.kubernetes.io/arch=amd64 contradict each other"),
                Arguments.of(pod("a").affinity(term(req(ARCH, "In", "riscv64"))),
                        "required node affinity kubernetes.io/arch In [riscv64] allows no supported architecture"),
                Arguments.of(pod("a").images(), "images are published for no supported architecture"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("emptyReasons")
    void anEmptySetComesWithAReasonAnOperatorCanActOn(Fixtures.PodBuilder builder, String reason) {
        PendingPod pod = builder.build();

        assertThat(ArchResolver.allowed(pod)).isEmpty();
        assertThat(ArchResolver.whyEmpty(pod)).contains(reason);
    }

    @Test
    void thereIsNoReasonWhenSomeArchIsAllowed() {
        assertThat(ArchResolver.whyEmpty(pod("a").selector(ARCH, "arm64").build())).isNull();
    }

    @Test
    void constraintsNameTheirMetricLabels() {
        assertThat(ArchConstraint.of(BOTH)).isEqualTo(ArchConstraint.FLEXIBLE);
        assertThat(ArchConstraint.of(Set.of(AMD64))).isEqualTo(ArchConstraint.AMD64_ONLY);
        assertThat(ArchConstraint.of(Set.of(ARM64))).isEqualTo(ArchConstraint.ARM64_ONLY);
        assertThat(ArchConstraint.of(NONE)).isEqualTo(ArchConstraint.NONE);
        assertThat(Stream.of(ArchConstraint.values()).map(ArchConstraint::label))
                .containsExactly("flexible", "amd64-only", "arm64-only", "none");
    }
}
