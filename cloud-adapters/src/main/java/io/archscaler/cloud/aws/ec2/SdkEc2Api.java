package io.archscaler.cloud.aws.ec2;

import software.amazon.awssdk.services.ec2.Ec2AsyncClient;
import software.amazon.awssdk.services.ec2.model.CreateFleetRequest;
import software.amazon.awssdk.services.ec2.model.CreateFleetResponse;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceTypesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeLaunchTemplateVersionsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeSpotPriceHistoryRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.SpotPrice;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@link Ec2Api} over the SDK's {@link Ec2AsyncClient}. */
public final class SdkEc2Api implements Ec2Api {
    /** The most instance types one DescribeInstanceTypes call names, and its page size. */
    private static final int PAGE = 100;
    /** The product description of a Linux node's spot price. */
    private static final String LINUX = "Linux/UNIX";
    private final Ec2AsyncClient client;

    public SdkEc2Api(Ec2AsyncClient client) {
        this.client = client;
    }

    @Override
    public CompletionStage<List<InstanceTypeInfo>> describeInstanceTypes(Collection<String> instanceTypes) {
        List<String> all = List.copyOf(instanceTypes);
        CompletionStage<List<InstanceTypeInfo>> result = CompletableFuture.completedFuture(new ArrayList<>());
        for (int from = 0; from < all.size(); from += PAGE) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + PAGE));
            DescribeInstanceTypesRequest request = DescribeInstanceTypesRequest.builder()
                    .instanceTypesWithStrings(chunk).maxResults(PAGE).build();
            result = result.thenCompose(acc -> describeTypes(request, acc));
        }
        return result;
    }

    private CompletionStage<List<InstanceTypeInfo>> describeTypes(DescribeInstanceTypesRequest request,
                                                                  List<InstanceTypeInfo> acc) {
        return client.describeInstanceTypes(request).thenCompose(page -> {
            acc.addAll(page.instanceTypes());
            String next = page.nextToken();
            if (next == null || next.isEmpty()) {
                return CompletableFuture.completedFuture(acc);
            }
            return describeTypes(request.toBuilder().nextToken(next).build(), acc);
        });
    }

    @Override
    public CompletionStage<Optional<String>> launchTemplateInstanceType(String launchTemplateId,
                                                                        String launchTemplateName, String version) {
        DescribeLaunchTemplateVersionsRequest.Builder request = DescribeLaunchTemplateVersionsRequest.builder()
                .versions(version == null || version.isEmpty() ? "$Default" : version);
        if (launchTemplateId != null && !launchTemplateId.isEmpty()) {
            request.launchTemplateId(launchTemplateId);
        } else {
            request.launchTemplateName(launchTemplateName);
        }
        return client.describeLaunchTemplateVersions(request.build())
                .thenApply(r -> r.launchTemplateVersions().stream()
                        .filter(v -> v.launchTemplateData() != null)
                        .map(v -> v.launchTemplateData().instanceTypeAsString())
                        .filter(t -> t != null && !t.isEmpty())
                        .findFirst());
    }

    @Override
    public CompletionStage<CreateFleetResponse> createFleet(CreateFleetRequest request) {
        return client.createFleet(request);
    }

    @Override
    public CompletionStage<List<Instance>> instancesTagged(Map<String, String> tags, Collection<String> states) {
        List<Filter> filters = new ArrayList<>();
        tags.forEach((k, v) -> filters.add(Filter.builder().name("tag:" + k).values(v).build()));
        filters.add(Filter.builder().name("instance-state-name").values(states).build());
        return describeInstances(DescribeInstancesRequest.builder().filters(filters).build(), new ArrayList<>());
    }

    private CompletionStage<List<Instance>> describeInstances(DescribeInstancesRequest request, List<Instance> acc) {
        return client.describeInstances(request).thenCompose(page -> {
            for (Reservation r : page.reservations()) {
                acc.addAll(r.instances());
            }
            String next = page.nextToken();
            if (next == null || next.isEmpty()) {
                return CompletableFuture.completedFuture(acc);
            }
            return describeInstances(request.toBuilder().nextToken(next).build(), acc);
        });
    }

    @Override
    public CompletionStage<List<SpotPrice>> spotPrices(Collection<String> instanceTypes, Instant at) {
        DescribeSpotPriceHistoryRequest request = DescribeSpotPriceHistoryRequest.builder()
                .instanceTypesWithStrings(instanceTypes).productDescriptions(LINUX).startTime(at).build();
        return spotPrices(request, new ArrayList<>());
    }

    private CompletionStage<List<SpotPrice>> spotPrices(DescribeSpotPriceHistoryRequest request, List<SpotPrice> acc) {
        return client.describeSpotPriceHistory(request).thenCompose(page -> {
            acc.addAll(page.spotPriceHistory());
            String next = page.nextToken();
            if (next == null || next.isEmpty()) {
                return CompletableFuture.completedFuture(acc);
            }
            return spotPrices(request.toBuilder().nextToken(next).build(), acc);
        });
    }

    @Override
    public CompletionStage<Void> terminateInstances(Collection<String> instanceIds) {
        return client.terminateInstances(b -> b.instanceIds(instanceIds)).thenApply(r -> null);
    }
}
