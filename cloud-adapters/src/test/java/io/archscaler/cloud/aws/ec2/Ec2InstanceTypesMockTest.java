package io.archscaler.cloud.aws.ec2;

import io.archscaler.cloud.CloudApiException;
import io.archscaler.cloud.aws.AwsWireMock;
import io.archscaler.cloud.aws.InstanceTypeFacts;
import io.archscaler.scaler.model.Arch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static io.archscaler.cloud.aws.AwsWireMock.action;
import static io.archscaler.cloud.aws.AwsWireMock.ec2Error;
import static io.archscaler.cloud.aws.AwsWireMock.xml;
import static io.archscaler.cloud.aws.ec2.Ec2Xml.describeInstanceTypes;
import static io.archscaler.cloud.aws.ec2.Ec2Xml.instanceType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Ec2InstanceTypesMockTest {
    @RegisterExtension
    static final AwsWireMock aws = AwsWireMock.start();

    private Ec2InstanceTypes lookup() {
        return new Ec2InstanceTypes(new SdkEc2Api(aws.clients().ec2()));
    }

    @Test
    void readsArchVcpuMemoryEniMaxPodsAndGpusFromDescribeInstanceTypes() {
        aws.server().stubFor(action("DescribeInstanceTypes").willReturn(xml(describeInstanceTypes(null,
                instanceType("g5g.xlarge", "arm64", 4, 8192, 4, 15, 1)))));

        Optional<InstanceTypeFacts> facts = lookup().facts("g5g.xlarge").toCompletableFuture().join();

        assertThat(facts).contains(new InstanceTypeFacts("g5g.xlarge", Arch.ARM64, 4, 8192, 4 * (15 - 1) + 2, 1, 0.0));
        assertThat(aws.requests("DescribeInstanceTypes")).containsExactly(Map.of(
                "Action", "DescribeInstanceTypes", "Version", "2016-11-15",
                "InstanceType.1", "g5g.xlarge", "MaxResults", "100"));
    }

    @Test
    void followsNextTokenAcrossPagesAndAsksNothingForTypesItAlreadyKnows() {
        aws.server().stubFor(action("DescribeInstanceTypes").withFormParam("NextToken", absent())
                .willReturn(xml(describeInstanceTypes("page-2-token",
                        instanceType("m7g.large", "arm64", 2, 8192, 3, 10, 0),
                        instanceType("m5.large", "x86_64", 2, 8192, 3, 10, 0)))));
        aws.server().stubFor(action("DescribeInstanceTypes").withFormParam("NextToken", equalTo("page-2-token"))
                .willReturn(xml(describeInstanceTypes(null,
                        instanceType("c7g.xlarge", "arm64", 4, 8192, 4, 15, 0)))));
        Ec2InstanceTypes lookup = lookup();

        Map<String, InstanceTypeFacts> facts = lookup.facts(List.of("m7g.large", "m5.large", "c7g.xlarge"))
                .toCompletableFuture().join();

        assertThat(facts).containsOnlyKeys("m7g.large", "m5.large", "c7g.xlarge");
        assertThat(facts.get("m5.large").arch()).isEqualTo(Arch.AMD64);
        assertThat(facts.get("c7g.xlarge").maxPods()).isEqualTo(58);
        Map<String, String> first = Map.of("Action", "DescribeInstanceTypes", "Version", "2016-11-15",
                "InstanceType.1", "m7g.large", "InstanceType.2", "m5.large", "InstanceType.3", "c7g.xlarge",
                "MaxResults", "100");
        Map<String, String> second = new java.util.HashMap<>(first);
        second.put("NextToken", "page-2-token");
        assertThat(aws.requests("DescribeInstanceTypes")).containsExactly(first, second);

        assertThat(lookup.facts("m5.large").toCompletableFuture().join()).contains(facts.get("m5.large"));
        assertThat(lookup.facts(List.of("c7g.xlarge", "m7g.large")).toCompletableFuture().join()).hasSize(2);
        assertThat(aws.requests("DescribeInstanceTypes")).hasSize(2);
    }

    @Test
    void anInstanceTypeEc2DoesNotKnowIsEmptyAndAskedForOnce() {
        aws.server().stubFor(action("DescribeInstanceTypes").willReturn(ec2Error(400, "InvalidInstanceType",
                "The following supplied instance types do not exist: [m9z.huge]")));
        Ec2InstanceTypes lookup = lookup();

        assertThat(lookup.facts("m9z.huge").toCompletableFuture().join()).isEmpty();
        assertThat(lookup.facts("m9z.huge").toCompletableFuture().join()).isEmpty();
        assertThat(aws.requests("DescribeInstanceTypes")).hasSize(1);
    }

    @Test
    void requestLimitExceededIsARetryableCloudApiErrorAfterExactlyOneRequest() {
        aws.server().stubFor(action("DescribeInstanceTypes").willReturn(ec2Error(503, "RequestLimitExceeded",
                "Request limit exceeded.")));

        assertThatThrownBy(() -> lookup().facts("m7g.large").toCompletableFuture().join())
                .cause()
                .isInstanceOfSatisfying(CloudApiException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.errorCode()).isEqualTo("RequestLimitExceeded");
                });
        assertThat(aws.requests("DescribeInstanceTypes")).hasSize(1);
    }

    @Test
    void aFailedLookupIsNotRememberedSoTheNextOneAsksAgain() {
        aws.server().stubFor(action("DescribeInstanceTypes").willReturn(ec2Error(503, "Unavailable",
                "The service is unavailable.")));
        Ec2InstanceTypes lookup = lookup();
        assertThatThrownBy(() -> lookup.facts("m7g.large").toCompletableFuture().join())
                .cause().isInstanceOf(CloudApiException.class);

        aws.server().stubFor(action("DescribeInstanceTypes").willReturn(xml(describeInstanceTypes(null,
                instanceType("m7g.large", "arm64", 2, 8192, 3, 10, 0)))));

        assertThat(lookup.facts("m7g.large").toCompletableFuture().join()).isPresent();
        assertThat(aws.requests("DescribeInstanceTypes")).hasSize(2);
    }
}
