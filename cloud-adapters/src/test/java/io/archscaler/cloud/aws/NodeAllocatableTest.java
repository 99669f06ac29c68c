package io.archscaler.cloud.aws;

import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class NodeAllocatableTest {
    private static final long MIB = 1L << 20;

    @ParameterizedTest(name = "{0} vCPU reserve {1}m")
    @CsvSource({"1, 60", "2, 70", "4, 80", "8, 90", "16, 110", "96, 310"})
    void cpuIsReservedByTheEksAmiFormula(int vcpu, long reservedMillis) {
        assertThat(NodeAllocatable.reservedCpuMillis(vcpu)).isEqualTo(reservedMillis);
    }

    @Test
    void anM7gLargeKeepsMemoryForTheKubeletPerPodAndEvictionAndTenPercentOfItsDisk() {
        Resources r = NodeAllocatable.of(TestCatalog.M7G_LARGE, 20L << 30);

        assertThat(r.cpuMillis()).isEqualTo(1930);
        assertThat(r.memoryBytes()).isEqualTo((8192 - (255 + 11 * 29) - 100) * MIB);
        assertThat(r.pods()).isEqualTo(29);
        assertThat(r.ephemeralStorageBytes()).isEqualTo((20L << 30) - (2L << 30));
        assertThat(r.extended()).isEmpty();
    }

    @Test
    void gpusBecomeTheNvidiaExtendedResource() {
        Resources r = NodeAllocatable.of(TestCatalog.G5G_XLARGE, 0);

        assertThat(r.extended()).isEqualTo(Map.of("nvidia.com/gpu", 1L));
        assertThat(r.ephemeralStorageBytes()).isZero();
    }

    @Test
    void aTinyTypeNeverGetsNegativeMemory() {
        InstanceTypeFacts nano = new InstanceTypeFacts("t4g.nano", Arch.ARM64, 2, 512, 58, 0, 0.0042);

        assertThat(NodeAllocatable.of(nano, 0).memoryBytes()).isZero();
    }
}
