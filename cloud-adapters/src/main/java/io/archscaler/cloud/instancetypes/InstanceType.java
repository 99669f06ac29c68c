package io.archscaler.cloud.instancetypes;

import io.archscaler.scaler.model.Arch;

import java.util.Objects;

/**
 * An EC2 instance type as the planner needs it: architecture, size, how many pods the VPC CNI
 * lets it run, GPUs, and its on-demand price.
 *
 * @param maxPods      the EKS ENI formula: ENIs × (IPv4 addresses per ENI − 1) + 2
 * @param pricePerHour us-east-1 Linux on-demand, USD
 */
public record InstanceType(String name, Arch arch, int vcpu, long memoryMiB, int maxPods, int gpus,
                           double pricePerHour) {
    public InstanceType {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(arch, "arch");
    }

    /** Max pods by the ENI formula EKS uses when prefix delegation is off. */
    public static int maxPodsForEnis(int enis, int ipv4PerEni) {
        return enis * (ipv4PerEni - 1) + 2;
    }
}
