package io.archscaler.cloud.aws;

import io.archscaler.scaler.model.Arch;

import java.util.Objects;

/**
 * What a node template needs to know about an EC2 instance type.
 *
 * @param maxPods      pods the VPC CNI lets the type run: ENIs × (IPv4 per ENI − 1) + 2
 * @param pricePerHour on-demand USD per hour, 0 when the source does not know prices
 *                     (DescribeInstanceTypes has none)
 */
public record InstanceTypeFacts(String name, Arch arch, int vcpu, long memoryMiB, int maxPods, int gpus,
                                double pricePerHour) {
    public InstanceTypeFacts {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(arch, "arch");
        if (vcpu <= 0 || memoryMiB <= 0 || maxPods <= 0 || gpus < 0 || pricePerHour < 0) {
            throw new IllegalArgumentException("instance type " + name + ": vcpu, memoryMiB and maxPods must be"
                    + " positive, gpus and price not negative (vcpu=" + vcpu + ", memoryMiB=" + memoryMiB
                    + ", maxPods=" + maxPods + ", gpus=" + gpus + ", price=" + pricePerHour + ")");
        }
    }

    /** Max pods by the ENI formula EKS uses when prefix delegation is off. */
    public static int maxPodsForEnis(int enis, int ipv4PerEni) {
        return enis * (ipv4PerEni - 1) + 2;
    }
}
