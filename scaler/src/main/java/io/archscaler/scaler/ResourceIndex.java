package io.archscaler.scaler;

import io.archscaler.scaler.model.Resources;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Numbers the extended resources the pending pods ask for, so that demands and bins are flat
 * arrays of longs and fitting is arithmetic without map lookups.
 */
final class ResourceIndex {
    private final String[] names;
    private final Map<String, Integer> positions;

    ResourceIndex(Collection<Resources> requests) {
        TreeMap<String, Integer> sorted = new TreeMap<>();
        for (Resources r : requests) {
            r.extended().forEach((name, amount) -> {
                if (amount > 0) {
                    sorted.put(name, 0);
                }
            });
        }
        names = sorted.keySet().toArray(new String[0]);
        for (int i = 0; i < names.length; i++) {
            sorted.put(names[i], i);
        }
        positions = Map.copyOf(sorted);
    }

    Demand demand(Resources r) {
        return new Demand(r.cpuMillis(), r.memoryBytes(), r.ephemeralStorageBytes(), extended(r));
    }

    /** {@code count} identical bins with {@code free} room each. */
    Bin bin(Resources free, long count) {
        return new Bin(free.cpuMillis(), free.memoryBytes(), free.ephemeralStorageBytes(), free.pods(), extended(free),
                count);
    }

    /**
     * One node's free room, {@code allocatable - requested} (all of allocatable when requested is
     * null), without the intermediate {@link Resources}.
     */
    Bin freeBin(Resources allocatable, Resources requested) {
        if (requested == null) {
            return bin(allocatable, 1);
        }
        long[] ext = new long[names.length];
        for (int i = 0; i < names.length; i++) {
            ext[i] = allocatable.extended(names[i]) - requested.extended(names[i]);
        }
        return new Bin(allocatable.cpuMillis() - requested.cpuMillis(), allocatable.memoryBytes() - requested.memoryBytes(),
                allocatable.ephemeralStorageBytes() - requested.ephemeralStorageBytes(),
                allocatable.pods() - requested.pods(), ext, 1);
    }

    private long[] extended(Resources r) {
        long[] ext = new long[names.length];
        for (int i = 0; i < names.length; i++) {
            ext[i] = r.extended(names[i]);
        }
        return ext;
    }

    int size() {
        return positions.size();
    }
}
