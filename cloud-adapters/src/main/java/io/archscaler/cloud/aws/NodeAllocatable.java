package io.archscaler.cloud.aws;

import io.archscaler.scaler.model.Resources;

import java.util.Map;

/**
 * The allocatable resources of a new EKS node of an instance type, by the reservations the EKS
 * AMIs configure in the kubelet: kube-reserved memory of 255 MiB + 11 MiB per pod, kube-reserved
 * CPU of 6% of the first core, 1% of the second, 0.5% of the third and fourth and 0.25% of the
 * rest, a hard eviction threshold of 100 MiB memory and 10% of the root volume. Planning with raw
 * capacity instead would place pods on template nodes that the real node cannot take.
 */
public final class NodeAllocatable {
    public static final String GPU_RESOURCE = "nvidia.com/gpu";
    private static final long MIB = 1024L * 1024L;
    private static final long EVICTION_MEMORY_MIB = 100;

    private NodeAllocatable() {
    }

    /** Allocatable for the type, with {@code rootVolumeBytes} of disk (0 when not known). */
    public static Resources of(InstanceTypeFacts type, long rootVolumeBytes) {
        long cpu = type.vcpu() * 1000L - reservedCpuMillis(type.vcpu());
        long reservedMemoryMiB = 255 + 11L * type.maxPods() + EVICTION_MEMORY_MIB;
        long memory = Math.max(0, type.memoryMiB() - reservedMemoryMiB) * MIB;
        long ephemeral = rootVolumeBytes - rootVolumeBytes / 10;
        Map<String, Long> extended = type.gpus() > 0 ? Map.of(GPU_RESOURCE, (long) type.gpus()) : Map.of();
        return new Resources(cpu, memory, ephemeral, type.maxPods(), extended);
    }

    static long reservedCpuMillis(int vcpu) {
        double reserved = 0;
        for (int core = 0; core < vcpu; core++) {
            reserved += core == 0 ? 60 : core == 1 ? 10 : core < 4 ? 5 : 2.5;
        }
        return (long) Math.ceil(reserved);
    }
}
