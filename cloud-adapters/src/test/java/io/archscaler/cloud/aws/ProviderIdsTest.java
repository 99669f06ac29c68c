package io.archscaler.cloud.aws;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ProviderIdsTest {

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource({
            "aws:///us-west-2a/i-0abc1234def567890,   i-0abc1234def567890",
            "aws:///eu-central-1b/i-12345678,         i-12345678",
            "aws:///us-west-2a/fargate-ip-10-0-1-9,   ",
            "aws:///us-west-2a/,                      ",
            "gce://project/zone/node-1,               ",
            "i-0abc1234def567890,                     ",
            "'',                                      ",
    })
    void theInstanceIdIsReadFromAnEc2ProviderIdOnly(String providerId, String instanceId) {
        assertThat(ProviderIds.instanceId(providerId)).isEqualTo(Optional.ofNullable(instanceId));
    }

    @Test
    void aNullProviderIdNamesNoInstance() {
        assertThat(ProviderIds.instanceId(null)).isEmpty();
    }

    @Test
    void providerIdsAreWrittenAsTheKubeletsCloudProviderWritesThem() {
        assertThat(ProviderIds.of("us-west-2a", "i-0abc1234def567890")).isEqualTo("aws:///us-west-2a/i-0abc1234def567890");
        assertThat(ProviderIds.instanceId(ProviderIds.of("us-west-2a", "i-0abc1234def567890")))
                .contains("i-0abc1234def567890");
    }
}
