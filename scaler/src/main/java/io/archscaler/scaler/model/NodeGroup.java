package io.archscaler.scaler.model;

/**
 * A set of identical nodes that a provider can grow and shrink (an EKS managed node group, an
 * Auto Scaling group, a Cluster API MachineDeployment, a simulated group).
 *
 * @param targetSize the size the provider was last asked for (registered plus in-flight nodes)
 * @param weight     rank among groups, 0..1000, higher first
 */
public record NodeGroup(String name, String provider, Arch arch, int minSize, int maxSize, int targetSize,
                        int weight, String instanceType, double pricePerHour, NodeTemplate template) {
    public static final int DEFAULT_ARM64_WEIGHT = 100;
    public static final int DEFAULT_AMD64_WEIGHT = 10;

    public static int defaultWeight(Arch arch) {
        return arch == Arch.ARM64 ? DEFAULT_ARM64_WEIGHT : DEFAULT_AMD64_WEIGHT;
    }

    public NodeGroup withTargetSize(int size) {
        return new NodeGroup(name, provider, arch, minSize, maxSize, size, weight, instanceType, pricePerHour, template);
    }
}
