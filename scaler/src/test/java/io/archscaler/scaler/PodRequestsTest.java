package io.archscaler.scaler;

import io.archscaler.scaler.model.InitContainer;
import io.archscaler.scaler.model.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.archscaler.scaler.Fixtures.res;
import static org.assertj.core.api.Assertions.assertThat;

class PodRequestsTest {

    private static InitContainer init(String cpu, String memory) {
        return new InitContainer(res(cpu, memory), false);
    }

    private static InitContainer sidecar(String cpu, String memory) {
        return new InitContainer(res(cpu, memory), true);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("containers are summed",
                        List.of(res("100m", "128Mi"), res("200m", "256Mi")), List.of(), null,
                        res("300m", "384Mi")),
                Arguments.of("a big init container wins by the max rule, per resource",
                        List.of(res("100m", "128Mi"), res("200m", "256Mi")), List.of(init("1", "64Mi")), null,
                        res("1", "384Mi")),
                Arguments.of("init containers run one at a time, so only the largest counts",
                        List.of(res("100m", "100Mi")), List.of(init("500m", "1Gi"), init("700m", "512Mi")), null,
                        res("700m", "1Gi")),
                Arguments.of("sidecars run beside the app containers and are summed with them",
                        List.of(res("500m", "512Mi")), List.of(sidecar("100m", "64Mi")), null,
                        res("600m", "576Mi")),
                Arguments.of("an init container after a sidecar runs beside it",
                        List.of(res("100m", "100Mi")), List.of(sidecar("300m", "100Mi"), init("900m", "100Mi")), null,
                        res("1200m", "200Mi")),
                Arguments.of("an init container before a sidecar does not run beside it",
                        List.of(res("100m", "100Mi")), List.of(init("900m", "100Mi"), sidecar("300m", "100Mi")), null,
                        res("900m", "200Mi")),
                Arguments.of("overhead is added on top",
                        List.of(res("250m", "256Mi")), List.of(init("1", "1Gi")), res("50m", "64Mi"),
                        res("1050m", "1088Mi")),
                Arguments.of("no containers at all requests nothing but a pod slot",
                        List.of(), List.of(), null, Resources.ZERO),
                Arguments.of("null lists and entries count as nothing",
                        null, null, null, Resources.ZERO));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void effectiveRequestsFollowTheSchedulerRules(String name, List<Resources> containers, List<InitContainer> inits,
                                                  Resources overhead, Resources expected) {
        assertThat(PodRequests.effective(containers, inits, overhead)).isEqualTo(expected.withPods(1));
    }

    @Test
    void extendedResourcesFollowTheSameRules() {
        Resources app = res(Map.of("cpu", "1", "nvidia.com/gpu", "1"));
        Resources gpuInit = res(Map.of("cpu", "100m", "nvidia.com/gpu", "2"));
        Resources sidecarGpu = res(Map.of("nvidia.com/gpu", "1"));

        Resources r = PodRequests.effective(List.of(app, app), List.of(new InitContainer(gpuInit, false),
                new InitContainer(sidecarGpu, true)), null);

        assertThat(r.extended("nvidia.com/gpu")).isEqualTo(3);
        assertThat(r.cpuMillis()).isEqualTo(2000);
        assertThat(r.pods()).isEqualTo(1);
    }

    @Test
    void ephemeralStorageIsCounted() {
        Resources r = PodRequests.effective(List.of(res(Map.of("ephemeral-storage", "1Gi"))),
                List.of(new InitContainer(res(Map.of("ephemeral-storage", "2Gi")), false)), null);

        assertThat(r.ephemeralStorageBytes()).isEqualTo(2L << 30);
    }
}
