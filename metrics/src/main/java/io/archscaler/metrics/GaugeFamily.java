package io.archscaler.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** One gauge name with many label sets, each holding the last value set (stored as double bits). */
final class GaugeFamily {
    private final MeterRegistry registry;
    private final String name;
    private final String description;
    private final Map<Tags, AtomicLong> values = new ConcurrentHashMap<>();

    GaugeFamily(MeterRegistry registry, String name, String description) {
        this.registry = registry;
        this.name = name;
        this.description = description;
    }

    void set(Tags tags, double value) {
        values.computeIfAbsent(tags, t -> {
            AtomicLong holder = new AtomicLong(Double.doubleToLongBits(0));
            Gauge.builder(name, holder, h -> Double.longBitsToDouble(h.get()))
                    .description(description).tags(t).register(registry);
            return holder;
        }).set(Double.doubleToLongBits(value));
    }

    /** Sets every known label set not in {@code keep} to zero, so vanished groups read 0, not stale. */
    void zeroAllBut(java.util.Set<Tags> keep) {
        values.forEach((tags, holder) -> {
            if (!keep.contains(tags)) {
                holder.set(Double.doubleToLongBits(0));
            }
        });
    }
}
