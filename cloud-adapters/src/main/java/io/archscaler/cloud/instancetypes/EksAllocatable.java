package io.archscaler.cloud.instancetypes;

import io.archscaler.scaler.model.Resources;

import java.util.Map;

/**
 * What a node of an instance type has left for pods on an EKS-optimized AMI: capacity minus the
 * kube-reserved the AMI's bootstrap sets and the kubelet's hard eviction threshold.
 */
public final class EksAllocatable {
    public static final String GPU = "nvidia.com/gpu";
    private static final long MI = 1L << 20;
    /** Ephemeral storage assumed when the group does not say (a 20Gi root volume). */
    public static final long DEFAULT_EPHEMERAL_STORAGE_BYTES = 20L << 30;
    /** The kubelet's default {@code memory.available<100Mi} eviction threshold. */
    public static final long EVICTION_THRESHOLD_BYTES = 100 * MI;

    private EksAllocatable() {
    }

    /** Allocatable cpu, memory, pods, 20Gi of ephemeral storage, and GPUs. */
    public static Resources of(InstanceType type) {
        long cpu = type.vcpu() * 1000L - reservedCpuMillis(type.vcpu());
        long memory = type.memoryMiB() * MI - reservedMemoryBytes(type.maxPods()) - EVICTION_THRESHOLD_BYTES;
        Map<String, Long> extended = type.gpus() > 0 ? Map.of(GPU, (long) type.gpus()) : Map.of();
        return new Resources(cpu, memory, DEFAULT_EPHEMERAL_STORAGE_BYTES, type.maxPods(), extended);
    }

    /** kube-reserved memory: 255Mi plus 11Mi per pod the node can run. */
    public static long reservedMemoryBytes(int maxPods) {
        return (255L + 11L * maxPods) * MI;
    }

    /**
     * kube-reserved cpu: 6% of the first core, 1% of the second, 0.5% of the third and fourth,
     * 0.25% of every further core; a fraction of a millicore is reserved whole.
     */
    public static long reservedCpuMillis(int cores) {
        // in tenths of a millicore so the 0.25% steps stay exact
        long tenths = 0;
        for (int core = 1; core <= cores; core++) {
            tenths += core == 1 ? 600 : core == 2 ? 100 : core <= 4 ? 50 : 25;
        }
        return (tenths + 9) / 10;
    }
}
