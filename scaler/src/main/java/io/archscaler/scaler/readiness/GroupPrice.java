package io.archscaler.scaler.readiness;

import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.Resources;

/**
 * What a node group charges per vCPU-hour and per GiB-hour: its {@code pricePerHour} split between
 * cpu and memory by {@link #CPU_SHARE}, each part divided by the template's capacity.
 */
public record GroupPrice(NodeGroup group, double perCpuHour, double perGiBHour) {
    /** The part of an instance's price that pays for its cpu; the rest pays for its memory. */
    public static final double CPU_SHARE = 0.5;
    static final double GIB = 1024.0 * 1024 * 1024;

    /** The group's prices, or null when it cannot be priced (no price, or no cpu or memory in its template). */
    public static GroupPrice of(NodeGroup group) {
        Resources capacity = group.template().allocatable();
        if (group.pricePerHour() <= 0 || capacity.cpuMillis() <= 0 || capacity.memoryBytes() <= 0) {
            return null;
        }
        double cpus = capacity.cpuMillis() / 1000.0;
        double gib = capacity.memoryBytes() / GIB;
        return new GroupPrice(group, group.pricePerHour() * CPU_SHARE / cpus,
                group.pricePerHour() * (1 - CPU_SHARE) / gib);
    }

    /** The hourly price of one pod with these requests. */
    public double hourly(Resources requests) {
        return requests.cpuMillis() / 1000.0 * perCpuHour + requests.memoryBytes() / GIB * perGiBHour;
    }

    public String name() {
        return group.name();
    }
}
