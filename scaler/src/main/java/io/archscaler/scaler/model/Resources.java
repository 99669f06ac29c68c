package io.archscaler.scaler.model;

import java.util.Map;
import java.util.TreeMap;

/**
 * A set of resource amounts: cpu in millicores, memory and ephemeral storage in bytes, a pod
 * count, and extended resources ({@code nvidia.com/gpu}, …) in whole units.
 */
public record Resources(long cpuMillis, long memoryBytes, long ephemeralStorageBytes, long pods,
                        Map<String, Long> extended) {
    public static final Resources ZERO = new Resources(0, 0, 0, 0, Map.of());

    public Resources {
        extended = extended == null || extended.isEmpty() ? Map.of() : Map.copyOf(new TreeMap<>(extended));
    }

    public static Resources of(long cpuMillis, long memoryBytes) {
        return new Resources(cpuMillis, memoryBytes, 0, 0, Map.of());
    }

    /**
     * Reads a Kubernetes resource list ({@code {cpu: 500m, memory: 1Gi, nvidia.com/gpu: 1}});
     * {@code field} prefixes the name of a bad entry in the error message.
     */
    public static Resources parse(String field, Map<String, String> list) {
        if (list == null || list.isEmpty()) {
            return ZERO;
        }
        long cpu = 0;
        long memory = 0;
        long ephemeral = 0;
        long pods = 0;
        Map<String, Long> extended = new TreeMap<>();
        for (Map.Entry<String, String> e : list.entrySet()) {
            String name = e.getKey();
            String where = field + "." + name;
            switch (name) {
                case "cpu" -> cpu = Quantity.parseMillis(where, e.getValue());
                case "memory" -> memory = Quantity.parseUnits(where, e.getValue());
                case "ephemeral-storage" -> ephemeral = Quantity.parseUnits(where, e.getValue());
                case "pods" -> pods = Quantity.parseUnits(where, e.getValue());
                default -> extended.put(name, Quantity.parseUnits(where, e.getValue()));
            }
        }
        return new Resources(cpu, memory, ephemeral, pods, extended);
    }

    /** The sum; an amount too large for a long stays at the largest long rather than wrapping to negative. */
    public Resources plus(Resources o) {
        return new Resources(sum(cpuMillis, o.cpuMillis), sum(memoryBytes, o.memoryBytes),
                sum(ephemeralStorageBytes, o.ephemeralStorageBytes), sum(pods, o.pods), merge(o, 1));
    }

    /** This minus {@code o}; may go negative, which callers read as "does not fit". */
    public Resources minus(Resources o) {
        return new Resources(sum(cpuMillis, -o.cpuMillis), sum(memoryBytes, -o.memoryBytes),
                sum(ephemeralStorageBytes, -o.ephemeralStorageBytes), sum(pods, -o.pods), merge(o, -1));
    }

    /** a + b, held at the long range's ends instead of wrapping around (huge quantities must not turn negative). */
    private static long sum(long a, long b) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return r;
    }

    /** The per-resource maximum (the init-container rule). */
    public Resources max(Resources o) {
        Map<String, Long> ext = new TreeMap<>(extended);
        o.extended.forEach((k, v) -> ext.merge(k, v, Math::max));
        return new Resources(Math.max(cpuMillis, o.cpuMillis), Math.max(memoryBytes, o.memoryBytes),
                Math.max(ephemeralStorageBytes, o.ephemeralStorageBytes), Math.max(pods, o.pods), ext);
    }

    public Resources withPods(long count) {
        return new Resources(cpuMillis, memoryBytes, ephemeralStorageBytes, count, extended);
    }

    public long extended(String name) {
        return extended.getOrDefault(name, 0L);
    }

    /** Whether every amount of this fits within {@code capacity} (pods included). */
    public boolean fitsIn(Resources capacity) {
        if (cpuMillis > capacity.cpuMillis || memoryBytes > capacity.memoryBytes
                || ephemeralStorageBytes > capacity.ephemeralStorageBytes || pods > capacity.pods) {
            return false;
        }
        for (Map.Entry<String, Long> e : extended.entrySet()) {
            if (e.getValue() > capacity.extended(e.getKey())) {
                return false;
            }
        }
        return true;
    }

    public boolean isZero() {
        return cpuMillis == 0 && memoryBytes == 0 && ephemeralStorageBytes == 0 && pods == 0
                && extended.values().stream().allMatch(v -> v == 0);
    }

    private Map<String, Long> merge(Resources o, int sign) {
        if (o.extended.isEmpty()) {
            return extended;
        }
        Map<String, Long> ext = new TreeMap<>(extended);
        o.extended.forEach((k, v) -> ext.merge(k, sign * v, Resources::sum));
        return ext;
    }
}
