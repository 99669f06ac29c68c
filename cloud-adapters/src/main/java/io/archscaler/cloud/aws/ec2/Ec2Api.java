package io.archscaler.cloud.aws.ec2;

import software.amazon.awssdk.services.ec2.model.CreateFleetRequest;
import software.amazon.awssdk.services.ec2.model.CreateFleetResponse;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
import software.amazon.awssdk.services.ec2.model.SpotPrice;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The EC2 calls Archscaler makes, and nothing more, so providers hold no SDK plumbing (as
 * Cluster Autoscaler's {@code aws_wrapper.go}). Listing calls follow every page.
 */
public interface Ec2Api {

    /** The named instance types; fails with EC2's {@code InvalidInstanceType} when one does not exist. */
    CompletionStage<List<InstanceTypeInfo>> describeInstanceTypes(Collection<String> instanceTypes);

    /**
     * The instance type a launch template version sets, if it sets one. Give the template's id or
     * its name; {@code version} is a number, {@code $Default} or {@code $Latest} (null: {@code $Default}).
     */
    CompletionStage<Optional<String>> launchTemplateInstanceType(String launchTemplateId, String launchTemplateName,
                                                                 String version);

    CompletionStage<CreateFleetResponse> createFleet(CreateFleetRequest request);

    /** The instances carrying every one of these tags, in one of these states. */
    CompletionStage<List<Instance>> instancesTagged(Map<String, String> tags, Collection<String> states);

    CompletionStage<Void> terminateInstances(Collection<String> instanceIds);

    /**
     * The Linux/UNIX spot prices of these types in effect at {@code at} and changed since, every
     * zone, every page ({@code DescribeSpotPriceHistory}).
     */
    CompletionStage<List<SpotPrice>> spotPrices(Collection<String> instanceTypes, Instant at);
}
