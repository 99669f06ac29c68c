package io.archscaler.scaler.model;

import java.util.Objects;

/**
 * One pool of cloud capacity: an instance type in a zone, bought as spot or on-demand. The unit
 * a capacity error is about (Karpenter's offering).
 *
 * @param instanceType the instance type; a group with none stands in with its own name
 * @param zone         the availability zone, or null for every zone the group launches into
 * @param arch         the instance type's architecture (for metrics; it follows from the type)
 */
public record Offering(String instanceType, String zone, CapacityType capacityType, Arch arch) {
    /** The label new nodes carry their zone in. */
    public static final String ZONE_LABEL = "topology.kubernetes.io/zone";

    public Offering {
        Objects.requireNonNull(instanceType, "instanceType");
        Objects.requireNonNull(capacityType, "capacityType");
        zone = zone == null || zone.isBlank() ? null : zone;
    }

    /** The offering a group launches from: its instance type, its zone when its template names one, its capacity type. */
    public static Offering of(NodeGroup group) {
        String type = group.instanceType() == null || group.instanceType().isBlank() ? group.name()
                : group.instanceType();
        String zone = group.template() == null ? null : group.template().labels().get(ZONE_LABEL);
        return new Offering(type, zone, group.capacityType(), group.arch());
    }

    /** The same instance type and capacity type in another zone (null: every zone). */
    public Offering inZone(String otherZone) {
        return new Offering(instanceType, otherZone, capacityType, arch);
    }

    /**
     * Whether a mark on this offering also covers {@code other}: the same type and capacity type,
     * and this one is for every zone or for other's zone.
     */
    public boolean covers(Offering other) {
        return instanceType.equals(other.instanceType) && capacityType == other.capacityType
                && (zone == null || zone.equals(other.zone));
    }

    @Override
    public String toString() {
        return instanceType + "/" + (zone == null ? "*" : zone) + "/" + capacityType.label();
    }
}
