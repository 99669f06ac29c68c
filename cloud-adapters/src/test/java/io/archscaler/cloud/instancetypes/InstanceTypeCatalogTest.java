package io.archscaler.cloud.instancetypes;

import io.archscaler.scaler.model.Arch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InstanceTypeCatalogTest {

    private final InstanceTypeCatalog catalog = InstanceTypeCatalog.bundled();

    // max pods as published in EKS's eni-max-pods.txt, prices as on the us-east-1 on-demand page
    @ParameterizedTest
    @CsvSource({
            "t4g.medium,   arm64, 2,  4096,  17,  0, 0.0336",
            "t4g.xlarge,   arm64, 4,  16384, 58,  0, 0.1344",
            "m6g.large,    arm64, 2,  8192,  29,  0, 0.077",
            "m7g.large,    arm64, 2,  8192,  29,  0, 0.0816",
            "m8g.4xlarge,  arm64, 16, 65536, 234, 0, 0.71808",
            "c7g.2xlarge,  arm64, 8,  16384, 58,  0, 0.289",
            "r6g.xlarge,   arm64, 4,  32768, 58,  0, 0.2016",
            "g5g.xlarge,   arm64, 4,  8192,  58,  1, 0.42",
            "t3.large,     amd64, 2,  8192,  35,  0, 0.0832",
            "m5.large,     amd64, 2,  8192,  29,  0, 0.096",
            "m6i.large,    amd64, 2,  8192,  29,  0, 0.096",
            "m7i.4xlarge,  amd64, 16, 65536, 234, 0, 0.8064",
            "c5.xlarge,    amd64, 4,  8192,  58,  0, 0.17",
            "r5.2xlarge,   amd64, 8,  65536, 58,  0, 0.504",
            "g4dn.xlarge,  amd64, 4,  16384, 29,  1, 0.526",
            "g4dn.2xlarge, amd64, 8,  32768, 29,  1, 0.752",
            "g5.xlarge,    amd64, 4,  16384, 58,  1, 1.006",
    })
    void bundledCatalogDescribesCommonTypes(String name, String arch, int vcpu, long memoryMiB, int maxPods,
                                            int gpus, double price) {
        assertThat(catalog.find(name)).contains(new InstanceType(name, Arch.fromLabel(arch).orElseThrow(), vcpu,
                memoryMiB, maxPods, gpus, price));
    }

    @Test
    void bundledCatalogCoversEveryRequestedFamily() {
        List<String> names = catalog.all().stream().map(InstanceType::name).toList();
        assertThat(names).contains(
                "t4g.medium", "t4g.large", "t4g.xlarge",
                "m6g.large", "m6g.xlarge", "m6g.2xlarge", "m6g.4xlarge",
                "m7g.large", "m7g.xlarge", "m7g.2xlarge", "m7g.4xlarge",
                "m8g.large", "m8g.xlarge", "m8g.2xlarge", "m8g.4xlarge",
                "c6g.large", "c6g.xlarge", "c6g.2xlarge", "c7g.large", "c7g.xlarge", "c7g.2xlarge",
                "r6g.large", "r6g.xlarge", "r6g.2xlarge", "r7g.large", "r7g.xlarge", "r7g.2xlarge",
                "g5g.xlarge",
                "t3.medium", "t3.large", "t3.xlarge",
                "m5.large", "m5.xlarge", "m5.2xlarge", "m5.4xlarge",
                "m6i.large", "m6i.xlarge", "m6i.2xlarge", "m6i.4xlarge",
                "m7i.large", "m7i.xlarge", "m7i.2xlarge", "m7i.4xlarge",
                "c5.large", "c5.xlarge", "c5.2xlarge", "c6i.large", "c6i.xlarge", "c6i.2xlarge",
                "c7i.large", "c7i.xlarge", "c7i.2xlarge",
                "r5.large", "r5.xlarge", "r5.2xlarge", "r6i.large", "r6i.xlarge", "r6i.2xlarge",
                "g4dn.xlarge", "g4dn.2xlarge", "g5.xlarge");
    }

    @Test
    void gravitonIsCheaperThanTheMatchingIntelSize() {
        // the reason arm64 groups rank first: every arm64 general-purpose size undercuts m5 at the same size
        for (String size : List.of("large", "xlarge", "2xlarge", "4xlarge")) {
            double m5 = catalog.find("m5." + size).orElseThrow().pricePerHour();
            assertThat(catalog.find("m6g." + size).orElseThrow().pricePerHour()).isLessThan(m5);
            assertThat(catalog.find("m7g." + size).orElseThrow().pricePerHour()).isLessThan(m5);
        }
    }

    @Test
    void onlyGpuTypesHaveGpus() {
        assertThat(catalog.all().stream().filter(t -> t.gpus() > 0).map(InstanceType::name))
                .containsExactlyInAnyOrder("g5g.xlarge", "g4dn.xlarge", "g4dn.2xlarge", "g5.xlarge");
    }

    @Test
    void similarTypesShareArchVcpuMemoryAndGpusCheapestFirstWithoutBurstableOnes() {
        InstanceType m7g = catalog.find("m7g.large").orElseThrow();
        assertThat(catalog.similar(m7g)).extracting(InstanceType::name).containsExactly("m6g.large", "m8g.large");
        assertThat(catalog.similar(m7g)).allSatisfy(t -> {
            assertThat(t.arch()).isEqualTo(m7g.arch());
            assertThat(t.vcpu()).isEqualTo(m7g.vcpu());
            assertThat(t.memoryMiB()).isEqualTo(m7g.memoryMiB());
        });
    }

    @Test
    void unknownTypeIsAbsent() {
        assertThat(catalog.find("m99.huge")).isEmpty();
        assertThat(catalog.find(null)).isEmpty();
    }

    @Test
    void eachCallReadsAFreshCatalog() {
        InstanceTypeCatalog other = InstanceTypeCatalog.bundled();
        assertThat(other).isNotSameAs(catalog);
        assertThat(other.all()).isEqualTo(catalog.all());
    }

    @Test
    void maxPodsFollowsTheEniFormula() {
        assertThat(InstanceType.maxPodsForEnis(3, 10)).isEqualTo(29);
        assertThat(InstanceType.maxPodsForEnis(8, 30)).isEqualTo(234);
    }

    @Test
    void readRejectsAnEntryWithAnUnknownArch() {
        String json = """
                {"instanceTypes": [{"name": "x1.large", "arch": "riscv64", "vcpu": 2, "memoryMiB": 1024,
                  "enis": 2, "ipv4PerEni": 4, "gpus": 0, "pricePerHour": 0.1}]}""";
        assertThatThrownBy(() -> InstanceTypeCatalog.read(stream(json), "test.json"))
                .hasMessage("test.json: instanceTypes[0].arch: unknown architecture \"riscv64\"");
    }

    @Test
    void readRejectsAMissingNumber() {
        String json = """
                {"instanceTypes": [{"name": "x1.large", "arch": "arm64", "memoryMiB": 1024,
                  "enis": 2, "ipv4PerEni": 4, "gpus": 0, "pricePerHour": 0.1}]}""";
        assertThatThrownBy(() -> InstanceTypeCatalog.read(stream(json), "test.json"))
                .hasMessage("test.json: instanceTypes[0].vcpu: expected a non-negative integer");
    }

    @Test
    void readRejectsADuplicateName() {
        String entry = """
                {"name": "x1.large", "arch": "arm64", "vcpu": 2, "memoryMiB": 1024, "enis": 2, "ipv4PerEni": 4,
                 "gpus": 0, "pricePerHour": 0.1}""";
        assertThatThrownBy(() -> InstanceTypeCatalog.read(stream("{\"instanceTypes\": [" + entry + "," + entry + "]}"), "t.json"))
                .hasMessage("t.json: instance type x1.large is listed twice");
    }

    @Test
    void readRejectsMalformedJson() {
        assertThatThrownBy(() -> InstanceTypeCatalog.read(stream("{\"instanceTypes\": ["), "t.json"))
                .hasMessageStartingWith("t.json: not valid JSON: ");
        assertThatThrownBy(() -> InstanceTypeCatalog.read(stream("[]"), "t.json"))
                .hasMessage("t.json: expected an object with an \"instanceTypes\" array");
    }

    private static ByteArrayInputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
