package io.archscaler.cloud.aws.eks;

import software.amazon.awssdk.services.eks.EksAsyncClient;
import software.amazon.awssdk.services.eks.model.ListNodegroupsRequest;
import software.amazon.awssdk.services.eks.model.Nodegroup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@link EksApi} over the SDK's {@link EksAsyncClient}. */
public final class SdkEksApi implements EksApi {
    private static final int PAGE = 100;
    private final EksAsyncClient client;

    public SdkEksApi(EksAsyncClient client) {
        this.client = client;
    }

    @Override
    public CompletionStage<List<String>> nodegroupNames(String cluster) {
        return list(ListNodegroupsRequest.builder().clusterName(cluster).maxResults(PAGE).build(), new ArrayList<>());
    }

    private CompletionStage<List<String>> list(ListNodegroupsRequest request, List<String> acc) {
        return client.listNodegroups(request).thenCompose(page -> {
            acc.addAll(page.nodegroups());
            String next = page.nextToken();
            if (next == null || next.isEmpty()) {
                return CompletableFuture.completedFuture(acc);
            }
            return list(request.toBuilder().nextToken(next).build(), acc);
        });
    }

    @Override
    public CompletionStage<Nodegroup> describeNodegroup(String cluster, String nodegroup) {
        return client.describeNodegroup(b -> b.clusterName(cluster).nodegroupName(nodegroup))
                .thenApply(r -> r.nodegroup());
    }

    @Override
    public CompletionStage<Void> updateScaling(String cluster, String nodegroup, int minSize, int maxSize,
                                               int desiredSize) {
        return client.updateNodegroupConfig(b -> b.clusterName(cluster).nodegroupName(nodegroup)
                        .scalingConfig(s -> s.minSize(minSize).maxSize(maxSize).desiredSize(desiredSize)))
                .thenApply(r -> null);
    }
}
