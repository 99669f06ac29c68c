package io.archscaler.scaler.model;

/**
 * A set of identical nodes that a provider can grow and shrink (an EKS managed node group, an
 * Auto Scaling group, a Cluster API MachineDeployment, a simulated group).
 *
 * @param targetSize   the size the provider was last asked for (registered plus in-flight nodes)
 * @param weight       rank among groups, 0..1000, higher first
 * @param capacityType spot or on-demand; its template carries the matching labels where its nodes get them
 */
public record NodeGroup(String name, String provider, Arch arch, int minSize, int maxSize, int targetSize,
                        int weight, String instanceType, double pricePerHour, NodeTemplate template,
                        CapacityType capacityType) {
    public static final int DEFAULT_ARM64_WEIGHT = 100;
    public static final int DEFAULT_AMD64_WEIGHT = 10;
    /** Spot above on-demand, and arm64 spot above amd64 spot: the cheapest pools are tried first. */
    public static final int DEFAULT_ARM64_SPOT_WEIGHT = 200;
    public static final int DEFAULT_AMD64_SPOT_WEIGHT = 150;

    public NodeGroup {
        capacityType = capacityType == null ? CapacityType.ON_DEMAND : capacityType;
    }

    /** A group whose capacity type is what its template's labels say (on-demand when they say nothing). */
    public NodeGroup(String name, String provider, Arch arch, int minSize, int maxSize, int targetSize,
                     int weight, String instanceType, double pricePerHour, NodeTemplate template) {
        this(name, provider, arch, minSize, maxSize, targetSize, weight, instanceType, pricePerHour, template,
                template == null ? CapacityType.ON_DEMAND : CapacityType.ofLabels(template.labels()));
    }

    /** The weight of an on-demand group of this arch when the operator gives none. */
    public static int defaultWeight(Arch arch) {
        return arch == Arch.ARM64 ? DEFAULT_ARM64_WEIGHT : DEFAULT_AMD64_WEIGHT;
    }

    /**
     * The weight when the operator gives none: arm64 spot, amd64 spot, arm64 on-demand, amd64
     * on-demand, so flexible pods try every spot pool before on-demand.
     */
    public static int defaultWeight(Arch arch, CapacityType capacityType) {
        if (capacityType == CapacityType.SPOT) {
            return arch == Arch.ARM64 ? DEFAULT_ARM64_SPOT_WEIGHT : DEFAULT_AMD64_SPOT_WEIGHT;
        }
        return defaultWeight(arch);
    }

    public NodeGroup withTargetSize(int size) {
        return new NodeGroup(name, provider, arch, minSize, maxSize, size, weight, instanceType, pricePerHour, template,
                capacityType);
    }

    public boolean isSpot() {
        return capacityType == CapacityType.SPOT;
    }
}
