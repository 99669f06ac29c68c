package io.archscaler.cloud.aws;

import io.archscaler.cloud.CloudApiException;
import io.archscaler.cloud.InsufficientCapacityException;
import io.archscaler.cloud.NodeGroupNotFoundException;
import io.archscaler.cloud.ProviderException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * Turns what the AWS SDK throws into the provider contract's exceptions, the same way for EKS,
 * Auto Scaling and EC2: throttling, 5xx and transport failures are retryable
 * {@link CloudApiException}s; capacity codes are {@link InsufficientCapacityException}s (never
 * retried: the planner backs off and plans elsewhere); {@code ResourceNotFoundException} is a
 * {@link NodeGroupNotFoundException}; anything else is a non-retryable {@link CloudApiException}
 * carrying the AWS error code.
 */
public final class AwsErrors {
    /** Error codes of a request that was refused for its rate, not its content. */
    public static final Set<String> THROTTLING_CODES = Set.of("Throttling", "ThrottlingException",
            "RequestLimitExceeded", "TooManyRequestsException");
    /**
     * Error codes of a resource busy with an earlier change (EKS {@code ResourceInUseException},
     * Auto Scaling {@code ResourceContention}): trying again later may succeed.
     */
    public static final Set<String> BUSY_CODES = Set.of("ResourceInUseException", "ResourceContention");
    /** Error codes that say EC2 has no capacity for the asked instance types now. */
    public static final Set<String> CAPACITY_CODES = Set.of("InsufficientInstanceCapacity", "UnfulfillableCapacity",
            "MaxSpotInstanceCountExceeded", "InsufficientHostCapacity", "InsufficientReservedInstanceCapacity",
            "SpotMaxPriceTooLow");
    /**
     * Error codes that are not about capacity but hold for one offering (instance type × zone ×
     * capacity type) all the same, so the planner leaves it out a while: an account's vCPU or
     * instance quota, a subnet without free addresses. Each is read as a failed launch of its kind.
     */
    public static final Set<String> OFFERING_CODES = Set.of("VcpuLimitExceeded", "InstanceLimitExceeded",
            "InsufficientFreeAddressesInSubnet");

    private AwsErrors() {
    }

    public static boolean isCapacityCode(String code) {
        return code != null && CAPACITY_CODES.contains(code);
    }

    /** The AWS error code of a failure, or null when it is not an AWS service error. */
    public static String errorCode(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof AwsServiceException ase && ase.awsErrorDetails() != null) {
            return ase.awsErrorDetails().errorCode();
        }
        return null;
    }

    /**
     * The contract's exception for a failed call. {@code nodeGroup} names the group the call was
     * about (for not-found and capacity errors); a {@link ProviderException} passes unchanged.
     */
    public static ProviderException map(String provider, String operation, String nodeGroup, Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof ProviderException pe) {
            return pe;
        }
        if (e instanceof AwsServiceException ase) {
            return mapService(provider, operation, nodeGroup, ase);
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return new CloudApiException(provider, operation, "Timeout", e.getMessage(), true, e);
        }
        if (e instanceof SdkClientException) {
            boolean transport = hasCause(e, IOException.class);
            return new CloudApiException(provider, operation, transport ? "ConnectionError" : "ClientError",
                    e.getMessage(), transport, e);
        }
        return new CloudApiException(provider, operation, "InternalError",
                e.getClass().getSimpleName() + ": " + e.getMessage(), false, e);
    }

    /** A stage that fails with {@link #map}'s exception when {@code call} fails. */
    public static <T> CompletionStage<T> guard(String provider, String operation, String nodeGroup,
                                               CompletionStage<T> call) {
        return call.exceptionallyCompose(e -> CompletableFuture.failedFuture(map(provider, operation, nodeGroup, e)));
    }

    private static ProviderException mapService(String provider, String operation, String nodeGroup,
                                                AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
        int status = e.statusCode();
        if (code == null || code.isBlank()) {
            code = "HTTP" + status;
        }
        if (CAPACITY_CODES.contains(code)) {
            return new InsufficientCapacityException(provider, operation, nodeGroup, code + ": " + message);
        }
        if (OFFERING_CODES.contains(code) && nodeGroup != null) {
            return LaunchErrors.fromStatusMessage(code + ": " + message).toException(provider, nodeGroup);
        }
        if ("ResourceNotFoundException".equals(code)) {
            return new NodeGroupNotFoundException(provider, operation, nodeGroup);
        }
        boolean retryable = THROTTLING_CODES.contains(code) || BUSY_CODES.contains(code)
                || e.isThrottlingException() || status >= 500;
        return new CloudApiException(provider, operation, code, message, retryable, e);
    }

    private static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }
}
