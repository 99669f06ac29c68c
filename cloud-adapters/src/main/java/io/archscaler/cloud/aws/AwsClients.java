package io.archscaler.cloud.aws;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsAsyncClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingAsyncClient;
import software.amazon.awssdk.services.ec2.Ec2AsyncClient;
import software.amazon.awssdk.services.eks.EksAsyncClient;

import java.net.URI;

/**
 * Builds the async EKS, EC2 and Auto Scaling clients for one region.
 * The SDK's own retries are off: the resilience decorators around the providers own retries,
 * so one provider call is exactly one request per API call it makes.
 */
public final class AwsClients implements AutoCloseable {
    private final EksAsyncClient eks;
    private final Ec2AsyncClient ec2;
    private final AutoScalingAsyncClient autoScaling;

    /** Clients with credentials from the SDK's default chain (environment, profile, web identity, instance role). */
    public AwsClients(AwsClientConfig config) {
        this(config, null);
    }

    /**
     * Clients with the given credentials; for tests and tools that bring their own. A null
     * provider means the SDK's default chain.
     */
    public AwsClients(AwsClientConfig config, AwsCredentialsProvider credentials) {
        this.eks = configure(EksAsyncClient.builder(), config, config.eksEndpoint(), credentials).build();
        this.ec2 = configure(Ec2AsyncClient.builder(), config, config.ec2Endpoint(), credentials).build();
        this.autoScaling = configure(AutoScalingAsyncClient.builder(), config, config.autoscalingEndpoint(),
                credentials).build();
    }

    /**
     * Sets a client builder up as every Archscaler AWS client is: the region, no SDK retries, the
     * call timeout, the endpoint override when given and the credentials when given.
     */
    public static <B extends AwsClientBuilder<B, ?> & AwsAsyncClientBuilder<B, ?>> B configure(
            B builder, AwsClientConfig config, URI endpoint, AwsCredentialsProvider credentials) {
        builder.region(Region.of(config.region()))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(config.callTimeout())
                        .build());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        if (credentials != null) {
            builder.credentialsProvider(credentials);
        }
        return builder;
    }

    public EksAsyncClient eks() {
        return eks;
    }

    public Ec2AsyncClient ec2() {
        return ec2;
    }

    public AutoScalingAsyncClient autoScaling() {
        return autoScaling;
    }

    @Override
    public void close() {
        eks.close();
        ec2.close();
        autoScaling.close();
    }
}
