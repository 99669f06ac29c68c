package io.archscaler.cloud.aws.ec2;

import io.archscaler.scaler.model.Arch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;

import java.util.Arrays;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class Ec2InstanceTypesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "arm64,          ARM64",
            "x86_64,         AMD64",
            "i386 x86_64,    AMD64",
            "arm64_mac,      ",
            "x86_64_mac,     ",
            "i386,           ",
    })
    void architectureComesFromTheSupportedArchitectures(String supported, Arch expected) {
        InstanceTypeInfo info = InstanceTypeInfo.builder()
                .instanceType("t.test")
                .processorInfo(p -> p.supportedArchitecturesWithStrings(Arrays.asList(supported.split(" "))))
                .vCpuInfo(v -> v.defaultVCpus(2))
                .memoryInfo(m -> m.sizeInMiB(4096L))
                .networkInfo(n -> n.maximumNetworkInterfaces(3).ipv4AddressesPerInterface(6))
                .build();

        assertThat(Ec2InstanceTypes.toFacts(info).map(f -> f.arch())).isEqualTo(Optional.ofNullable(expected));
    }

    @ParameterizedTest(name = "{0} ENIs x {1} IPv4 -> {2} pods")
    @CsvSource({
            "2,  2,   4",
            "3,  10, 29",
            "4,  15, 58",
            "8,  30, 234",
            "15, 50, 737",
    })
    void maxPodsFollowTheEniFormula(int enis, int ipv4, int pods) {
        InstanceTypeInfo info = InstanceTypeInfo.builder()
                .instanceType("t.test")
                .processorInfo(p -> p.supportedArchitecturesWithStrings("x86_64"))
                .vCpuInfo(v -> v.defaultVCpus(2))
                .memoryInfo(m -> m.sizeInMiB(4096L))
                .networkInfo(n -> n.maximumNetworkInterfaces(enis).ipv4AddressesPerInterface(ipv4))
                .build();

        assertThat(Ec2InstanceTypes.toFacts(info).orElseThrow().maxPods()).isEqualTo(pods);
    }
}
