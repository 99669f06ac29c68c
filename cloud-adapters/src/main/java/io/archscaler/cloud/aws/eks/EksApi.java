package io.archscaler.cloud.aws.eks;

import software.amazon.awssdk.services.eks.model.Nodegroup;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The EKS calls Archscaler makes, and nothing more, so the provider holds no SDK plumbing (as
 * Cluster Autoscaler's {@code aws_wrapper.go}).
 */
public interface EksApi {

    /** The names of the cluster's managed node groups, following every page. */
    CompletionStage<List<String>> nodegroupNames(String cluster);

    CompletionStage<Nodegroup> describeNodegroup(String cluster, String nodegroup);

    /** Sets the group's scaling config; EKS wants min and max with the desired size. */
    CompletionStage<Void> updateScaling(String cluster, String nodegroup, int minSize, int maxSize, int desiredSize);
}
