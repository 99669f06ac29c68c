package io.archscaler.cloud.aws.eks;

import io.archscaler.scaler.model.Arch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class AmiTypesTest {

    @ParameterizedTest(name = "{0} -> {1}, windows={2}")
    @CsvSource({
            "AL2_ARM_64,                      ARM64, false",
            "AL2023_ARM_64_STANDARD,          ARM64, false",
            "AL2023_ARM_64_NVIDIA,            ARM64, false",
            "BOTTLEROCKET_ARM_64,             ARM64, false",
            "BOTTLEROCKET_ARM_64_NVIDIA,      ARM64, false",
            "BOTTLEROCKET_ARM_64_FIPS,        ARM64, false",
            "AL2_x86_64,                      AMD64, false",
            "AL2_x86_64_GPU,                  AMD64, false",
            "AL2023_x86_64_STANDARD,          AMD64, false",
            "AL2023_x86_64_NVIDIA,            AMD64, false",
            "AL2023_x86_64_NEURON,            AMD64, false",
            "BOTTLEROCKET_x86_64,             AMD64, false",
            "BOTTLEROCKET_x86_64_NVIDIA_FIPS, AMD64, false",
            "WINDOWS_CORE_2019_x86_64,        AMD64, true",
            "WINDOWS_FULL_2022_x86_64,        AMD64, true",
            "CUSTOM,                          ,      false",
            "SOMETHING_NEW,                   ,      false",
    })
    void theAmiTypeNamesTheArchitectureExceptForCustom(String amiType, Arch arch, boolean windows) {
        assertThat(AmiTypes.arch(amiType)).isEqualTo(Optional.ofNullable(arch));
        assertThat(AmiTypes.windows(amiType)).isEqualTo(windows);
    }
}
