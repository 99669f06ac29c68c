package io.archscaler.cloud.instancetypes;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EksAllocatableTest {
    private static final long MI = 1L << 20;

    @ParameterizedTest
    @CsvSource({"1, 60", "2, 70", "4, 80", "8, 90", "16, 110", "5, 83", "48, 190"})
    void reservesCpuByTheEksSteps(int cores, long millis) {
        assertThat(EksAllocatable.reservedCpuMillis(cores)).isEqualTo(millis);
    }

    @Test
    void reservesMemoryPerPod() {
        assertThat(EksAllocatable.reservedMemoryBytes(29)).isEqualTo(574 * MI);
        assertThat(EksAllocatable.reservedMemoryBytes(110)).isEqualTo(1465 * MI);
    }

    @Test
    void m7gLargeLeaves1930MillicoresAnd7518Mi() {
        InstanceType m7g = new InstanceType("m7g.large", Arch.ARM64, 2, 8192, 29, 0, 0.0816);
        // 8192Mi - (255Mi + 29 × 11Mi) - 100Mi eviction threshold
        assertThat(EksAllocatable.of(m7g)).isEqualTo(new Resources(1930, 7518 * MI, 20L << 30, 29, Map.of()));
    }

    @Test
    void gpuTypesOfferTheirGpus() {
        InstanceType g5 = g5xlarge();
        assertThat(EksAllocatable.of(g5).extended(EksAllocatable.GPU)).isEqualTo(1);
        assertThat(EksAllocatable.of(g5).cpuMillis()).isEqualTo(3920);
    }

    private static InstanceType g5xlarge() {
        return InstanceTypeCatalog.bundled().find("g5.xlarge").orElseThrow();
    }
}
