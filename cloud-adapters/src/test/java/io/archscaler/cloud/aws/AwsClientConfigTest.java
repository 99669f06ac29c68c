package io.archscaler.cloud.aws;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AwsClientConfigTest {

    @Test
    void aMissingRegionIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> AwsClientConfig.of(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("aws.region");
    }

    @Test
    void anEndpointThatIsNotAnAbsoluteHttpUrlIsRefusedNamingTheService() {
        assertThatThrownBy(() -> new AwsClientConfig("us-west-2", null, URI.create("ec2.internal:443"), null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("aws.endpoints.ec2")
                .hasMessageContaining("ec2.internal:443");
    }

    @Test
    void theCallTimeoutDefaultsAndMustBePositive() {
        assertThat(AwsClientConfig.of("us-west-2").callTimeout()).isEqualTo(AwsClientConfig.DEFAULT_CALL_TIMEOUT);
        assertThatThrownBy(() -> new AwsClientConfig("us-west-2", null, null, null, Duration.ZERO))
                .hasMessageContaining("aws.callTimeout");
    }
}
