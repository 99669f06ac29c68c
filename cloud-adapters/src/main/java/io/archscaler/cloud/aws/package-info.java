/**
 * {@link io.archscaler.cloud.NodeGroupProvider}s over the real AWS APIs (SDK v2, async clients):
 * {@code eks} (EKS managed node groups), {@code asg} (self-managed Auto Scaling groups found by
 * Cluster Autoscaler's tags) and {@code ec2} (EC2 Fleet launches, and instance-type facts from
 * {@code DescribeInstanceTypes}).
 *
 * <p>Each provider talks to its SDK through a narrow wrapper interface ({@code EksApi},
 * {@code AutoScalingApi}, {@code Ec2Api}) whose {@code Sdk…} implementation holds the SDK
 * plumbing (requests, pagination). Every failure goes through {@link io.archscaler.cloud.aws.AwsErrors},
 * the one mapping from AWS error codes to the contract's exceptions. The SDK's own retries are
 * off ({@link io.archscaler.cloud.aws.AwsClients}): the resilience decorators retry, so each
 * provider call makes exactly the requests it says. Credentials come from the SDK's default chain.
 */
package io.archscaler.cloud.aws;
