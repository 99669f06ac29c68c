package io.archscaler.cloud.aws.ec2;

import io.archscaler.cloud.aws.AwsClients;
import io.archscaler.cloud.aws.AwsErrors;
import io.archscaler.cloud.aws.InstanceTypeFacts;
import io.archscaler.cloud.aws.InstanceTypeLookup;
import io.archscaler.scaler.model.Arch;
import software.amazon.awssdk.services.ec2.model.GpuDeviceInfo;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Instance-type facts from EC2 {@code DescribeInstanceTypes}, remembered for the life of this
 * object (types do not change), so each type costs one request at most. Types EC2 does not know,
 * and types with neither an arm64 nor an x86_64 processor, are remembered as unknown.
 */
public final class Ec2InstanceTypes implements InstanceTypeLookup {
    private static final String OPERATION = "DescribeInstanceTypes";
    private final Ec2Api ec2;
    private final ConcurrentMap<String, Optional<InstanceTypeFacts>> known = new ConcurrentHashMap<>();

    public Ec2InstanceTypes(Ec2Api ec2) {
        this.ec2 = ec2;
    }

    /** A lookup over the EC2 client of {@code clients}. */
    public static Ec2InstanceTypes create(AwsClients clients) {
        return new Ec2InstanceTypes(new SdkEc2Api(clients.ec2()));
    }

    @Override
    public CompletionStage<Optional<InstanceTypeFacts>> facts(String instanceType) {
        if (instanceType == null || instanceType.isBlank()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        Optional<InstanceTypeFacts> cached = known.get(instanceType);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        return ec2.describeInstanceTypes(List.of(instanceType))
                .handle((infos, error) -> {
                    if (error != null) {
                        if ("InvalidInstanceType".equals(AwsErrors.errorCode(error))) {
                            known.put(instanceType, Optional.empty());
                            return Optional.<InstanceTypeFacts>empty();
                        }
                        throw AwsErrors.map("ec2", OPERATION, null, error);
                    }
                    remember(List.of(instanceType), infos);
                    return known.getOrDefault(instanceType, Optional.empty());
                });
    }

    /**
     * The facts of several types in as few requests as EC2 allows (following its pages); the
     * result holds the types that are known. Fails if EC2 refuses the list.
     */
    public CompletionStage<Map<String, InstanceTypeFacts>> facts(Collection<String> instanceTypes) {
        List<String> missing = instanceTypes.stream().distinct().filter(t -> !known.containsKey(t)).toList();
        CompletionStage<Void> loaded = missing.isEmpty()
                ? CompletableFuture.completedFuture(null)
                : AwsErrors.guard("ec2", OPERATION, null, ec2.describeInstanceTypes(missing))
                        .thenAccept(infos -> remember(missing, infos));
        return loaded.thenApply(v -> {
            Map<String, InstanceTypeFacts> result = new TreeMap<>();
            for (String t : instanceTypes) {
                known.getOrDefault(t, Optional.empty()).ifPresent(f -> result.put(t, f));
            }
            return result;
        });
    }

    private void remember(List<String> asked, List<InstanceTypeInfo> infos) {
        for (InstanceTypeInfo info : infos) {
            known.put(info.instanceTypeAsString(), toFacts(info));
        }
        for (String t : asked) {
            known.putIfAbsent(t, Optional.empty());
        }
    }

    /** The facts of one DescribeInstanceTypes entry, or empty when it lacks what a template needs. */
    public static Optional<InstanceTypeFacts> toFacts(InstanceTypeInfo info) {
        Optional<Arch> arch = arch(info);
        if (arch.isEmpty() || info.vCpuInfo() == null || info.vCpuInfo().defaultVCpus() == null
                || info.memoryInfo() == null || info.memoryInfo().sizeInMiB() == null
                || info.networkInfo() == null || info.networkInfo().maximumNetworkInterfaces() == null
                || info.networkInfo().ipv4AddressesPerInterface() == null) {
            return Optional.empty();
        }
        int gpus = 0;
        if (info.gpuInfo() != null) {
            for (GpuDeviceInfo gpu : info.gpuInfo().gpus()) {
                gpus += gpu.count() == null ? 0 : gpu.count();
            }
        }
        int maxPods = InstanceTypeFacts.maxPodsForEnis(info.networkInfo().maximumNetworkInterfaces(),
                info.networkInfo().ipv4AddressesPerInterface());
        return Optional.of(new InstanceTypeFacts(info.instanceTypeAsString(), arch.get(),
                info.vCpuInfo().defaultVCpus(), info.memoryInfo().sizeInMiB(), maxPods, gpus, 0.0));
    }

    private static Optional<Arch> arch(InstanceTypeInfo info) {
        if (info.processorInfo() == null) {
            return Optional.empty();
        }
        List<String> archs = new ArrayList<>(info.processorInfo().supportedArchitecturesAsStrings());
        if (archs.contains("arm64")) {
            return Optional.of(Arch.ARM64);
        }
        if (archs.contains("x86_64")) {
            return Optional.of(Arch.AMD64);
        }
        return Optional.empty();
    }
}
