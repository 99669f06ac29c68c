package io.archscaler.cloud.aws;

import io.archscaler.cloud.CloudApiException;
import io.archscaler.cloud.InsufficientCapacityException;
import io.archscaler.cloud.NodeGroupNotFoundException;
import io.archscaler.cloud.ProviderException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

class AwsErrorsTest {

    private static AwsServiceException serviceError(String code, int status) {
        return AwsServiceException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("message of " + code).build())
                .statusCode(status)
                .build();
    }

    @ParameterizedTest(name = "{0} ({1}) -> {2}, retryable={3}")
    @CsvSource({
            "Throttling,                    400, CloudApiException,             true",
            "ThrottlingException,           400, CloudApiException,             true",
            "RequestLimitExceeded,          503, CloudApiException,             true",
            "TooManyRequestsException,      429, CloudApiException,             true",
            "ResourceInUseException,        409, CloudApiException,             true",
            "ResourceContention,            400, CloudApiException,             true",
            "InternalError,                 500, CloudApiException,             true",
            "ServiceUnavailable,            503, CloudApiException,             true",
            "ValidationError,               400, CloudApiException,             false",
            "UnauthorizedOperation,         403, CloudApiException,             false",
            "InvalidParameterException,     400, CloudApiException,             false",
            "InsufficientInstanceCapacity,  500, InsufficientCapacityException, false",
            "UnfulfillableCapacity,         400, InsufficientCapacityException, false",
            "MaxSpotInstanceCountExceeded,  400, InsufficientCapacityException, false",
            "ResourceNotFoundException,     404, NodeGroupNotFoundException,    false",
    })
    void awsErrorCodesMapToTheContractsExceptions(String code, int status, String type, boolean retryable) {
        ProviderException e = AwsErrors.map("eks", "UpdateNodegroupConfig", "arm-general", serviceError(code, status));

        assertThat(e.getClass().getSimpleName()).isEqualTo(type);
        assertThat(e.retryable()).isEqualTo(retryable);
        assertThat(e.provider()).isEqualTo("eks");
        assertThat(e.operation()).isEqualTo("UpdateNodegroupConfig");
        if (e instanceof CloudApiException api) {
            assertThat(api.errorCode()).isEqualTo(code);
            assertThat(api.getMessage()).contains("message of " + code);
        }
        if (e instanceof InsufficientCapacityException ice) {
            assertThat(ice.nodeGroup()).isEqualTo("arm-general");
            assertThat(ice.getMessage()).contains(code);
        }
    }

    @Test
    void aFailureWrappedByACompletionStageIsUnwrappedFirst() {
        ProviderException e = AwsErrors.map("asg", "SetDesiredCapacity", "g",
                new CompletionException(serviceError("Throttling", 400)));

        assertThat(e).isInstanceOfSatisfying(CloudApiException.class, api -> {
            assertThat(api.errorCode()).isEqualTo("Throttling");
            assertThat(api.retryable()).isTrue();
        });
    }

    @Test
    void aProviderExceptionPassesUnchanged() {
        ProviderException original = new NodeGroupNotFoundException("ec2", "CreateFleet", "g");

        assertThat(AwsErrors.map("ec2", "other", "g", new CompletionException(original))).isSameAs(original);
    }

    @Test
    void aTransportFailureIsRetryableAndAnyOtherClientErrorIsNot() {
        ProviderException refused = AwsErrors.map("ec2", "DescribeInstances", "g", SdkClientException.builder()
                .message("Unable to execute HTTP request").cause(new ConnectException("Connection refused")).build());
        ProviderException broken = AwsErrors.map("ec2", "DescribeInstances", "g", SdkClientException.builder()
                .message("Unable to unmarshall response").build());
        ProviderException timeout = AwsErrors.map("ec2", "DescribeInstances", "g", ApiCallTimeoutException.builder()
                .message("Client execution did not complete before the specified timeout").build());

        assertThat(refused).isInstanceOf(CloudApiException.class).returns(true, ProviderException::retryable);
        assertThat(((CloudApiException) refused).errorCode()).isEqualTo("ConnectionError");
        assertThat(broken).isInstanceOf(CloudApiException.class).returns(false, ProviderException::retryable);
        assertThat(timeout).isInstanceOf(CloudApiException.class).returns(true, ProviderException::retryable);
        assertThat(((CloudApiException) timeout).errorCode()).isEqualTo("Timeout");
    }

    @Test
    void anUnexpectedExceptionIsANonRetryableInternalError() {
        ProviderException e = AwsErrors.map("eks", "DescribeNodegroup", "g", new IllegalStateException("boom"));

        assertThat(e).isInstanceOfSatisfying(CloudApiException.class, api -> {
            assertThat(api.errorCode()).isEqualTo("InternalError");
            assertThat(api.retryable()).isFalse();
            assertThat(api.getMessage()).contains("IllegalStateException: boom");
        });
    }

    @Test
    void errorCodeIsReadThroughWrappersAndIsNullForNonAwsErrors() {
        assertThat(AwsErrors.errorCode(new CompletionException(serviceError("InvalidInstanceType", 400))))
                .isEqualTo("InvalidInstanceType");
        assertThat(AwsErrors.errorCode(new IOException("x"))).isNull();
    }
}
