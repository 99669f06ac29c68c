package io.archscaler.cloud.clusterapi;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.Resources;
import io.archscaler.scaler.model.Taint;
import io.archscaler.scaler.model.TaintEffect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.archscaler.cloud.clusterapi.CapiObjects.sizes;
import static io.archscaler.cloud.clusterapi.CapiObjects.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CapacityAnnotationsTest {

    static Stream<Arguments> taintAnnotations() {
        return Stream.of(
                Arguments.of("key=value:NoSchedule", List.of(new Taint("key", "value", TaintEffect.NO_SCHEDULE))),
                Arguments.of("gpu:NoExecute", List.of(new Taint("gpu", "", TaintEffect.NO_EXECUTE))),
                Arguments.of(" a=1:PreferNoSchedule , b=2:NoSchedule ,", List.of(
                        new Taint("a", "1", TaintEffect.PREFER_NO_SCHEDULE), new Taint("b", "2", TaintEffect.NO_SCHEDULE))),
                Arguments.of("example.com/role=edge:NoSchedule",
                        List.of(new Taint("example.com/role", "edge", TaintEffect.NO_SCHEDULE))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("taintAnnotations")
    void taintsAnnotationIsReadAsKeyValueEffect(String annotation, List<Taint> expected) throws Exception {
        assertThat(CapacityAnnotations.taints(resource(with(sizes(0, 1), CapiKinds.TAINTS, annotation), List.of())))
                .containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "\"{0}\" is refused")
    @CsvSource(delimiter = '|', value = {
            "key=value|is not key=value:Effect",
            "key=value:Maybe|unknown effect \"Maybe\"",
            "=value:NoSchedule|is not key=value:Effect",
            "a=b=c:NoSchedule|is not key=value:Effect",
    })
    void unreadableTaintIsAnErrorNamingTheAnnotation(String annotation, String why) {
        assertThatThrownBy(() -> CapacityAnnotations.taints(resource(with(sizes(0, 1), CapiKinds.TAINTS, annotation),
                List.of())))
                .isInstanceOf(InvalidGroupException.class)
                .hasMessageContaining("MachineDeployment fleet/md")
                .hasMessageContaining(CapiKinds.TAINTS)
                .hasMessageContaining(why);
    }

    @Test
    void annotationTaintReplacesTheSpecTaintWithTheSameKeyAndEffect() throws Exception {
        List<Map<String, Object>> spec = List.of(
                Map.of("key", "dedicated", "value", "old", "effect", "NoSchedule"),
                Map.of("key", "dedicated", "value", "keep", "effect", "NoExecute"));

        List<Taint> taints = CapacityAnnotations.taints(resource(
                with(sizes(0, 1), CapiKinds.TAINTS, "dedicated=new:NoSchedule"), spec));

        assertThat(taints).containsExactly(new Taint("dedicated", "keep", TaintEffect.NO_EXECUTE),
                new Taint("dedicated", "new", TaintEffect.NO_SCHEDULE));
    }

    @Test
    void labelsAnnotationOverridesManagedTemplateLabelsAndRefusesEntriesWithoutEquals() throws Exception {
        assertThat(CapacityAnnotations.labels(resource(with(sizes(0, 1), CapiKinds.LABELS,
                "node-role.kubernetes.io/worker=edge, tier=gold ,"), List.of())))
                .containsExactly(Map.entry("node-role.kubernetes.io/worker", "edge"), Map.entry("tier", "gold"));
        assertThatThrownBy(() -> CapacityAnnotations.labels(resource(with(sizes(0, 1), CapiKinds.LABELS, "tier"),
                List.of())))
                .isInstanceOf(InvalidGroupException.class)
                .hasMessageContaining(CapiKinds.LABELS)
                .hasMessageContaining("\"tier\" is not key=value");
    }

    @ParameterizedTest(name = "labels={0} nodeInfo={1} -> {2}")
    @CsvSource({
            "kubernetes.io/arch=arm64, amd64, ARM64",
            "workload=x, arm64, ARM64",
            "workload=x, , AMD64",
            "kubernetes.io/arch=amd64, , AMD64",
    })
    void archPrefersTheLabelsAnnotationThenNodeInfoThenTheDefault(String labels, String nodeInfo, Arch expected)
            throws Exception {
        assertThat(CapacityAnnotations.arch(resource(with(sizes(0, 1), CapiKinds.LABELS, labels), List.of()),
                nodeInfo, Arch.AMD64)).isEqualTo(expected);
    }

    @Test
    void unsupportedArchitectureIsAnError() {
        assertThatThrownBy(() -> CapacityAnnotations.arch(resource(with(sizes(0, 1), CapiKinds.LABELS,
                "kubernetes.io/arch=s390x"), List.of()), null, Arch.AMD64))
                .isInstanceOf(InvalidGroupException.class).hasMessageContaining("s390x");
    }

    @Test
    void gpuCountWithoutGpuTypeAddsNoGpusAsInTheClusterAutoscaler() throws Exception {
        assertThat(CapacityAnnotations.allocatable(resource(with(sizes(0, 1), CapiKinds.CPU, "500m",
                CapiKinds.MEMORY, "1G", CapiKinds.GPU_COUNT, "2"), List.of()), Map.of()))
                .isEqualTo(new Resources(500, 1_000_000_000L, 0, 110, Map.of()));
    }

    @Test
    void unreadableQuantityNamesTheAnnotation() {
        assertThatThrownBy(() -> CapacityAnnotations.allocatable(resource(with(sizes(0, 1), CapiKinds.MEMORY, "lots"),
                List.of()), Map.of()))
                .isInstanceOf(InvalidGroupException.class)
                .hasMessageContaining("MachineDeployment fleet/md: annotation " + CapiKinds.MEMORY)
                .hasMessageContaining("\"lots\"");
    }

    private static ScalableResource resource(Map<String, String> annotations, List<?> specTaints) {
        return new ScalableResource("MachineDeployment", "fleet", "md", "fleet/md", 0, 1, 0, "1", annotations,
                Map.of("node-role.kubernetes.io/worker", "", "unmanaged", "x"), specTaints, null, null, false);
    }
}
